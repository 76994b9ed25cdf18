package io.minify.image;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A repository:tag reference to an image, as minify names what it writes: the slim tag, the
 * tag in a docker-archive's manifest, the ref name of an OCI layout. One grammar for all of
 * them (the engine's, simplified: lower-case path components, a registry port only before a path, a
 * tag of up to 128 characters; no digest, since a digest names bytes not yet written).
 */
public record ImageReference(String repository, String tag) {

  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*((:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+)?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern IMAGE_ID = Pattern.compile("(sha256:)?[0-9a-f]{12,64}");

  public ImageReference {
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("'" + repository + "' is not a valid image repository name"
          + " (lower-case letters, digits, '.', '_', '-', '/')");
    }
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("'" + tag + "' is not a valid image tag");
    }
  }

  /**
   * The names of a local image a user may give: an image id ({@code sha256:} and 12 to 64 hex
   * digits, or the hex alone), or {@code [REGISTRY[:PORT]/]PATH[:TAG][@sha256:HEX]} with a
   * lower-case path, as the engine's reference grammar has them.
   */
  private static final Pattern IMAGE_NAME = Pattern.compile(
      "(([A-Za-z0-9]+([.-][A-Za-z0-9]+)*(:[0-9]+)?|localhost(:[0-9]+)?)/)?"
          + "[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");

  /** Whether {@code name} can name a local image (an id or a reference); the engine says whether one exists. */
  public static boolean isImageName(String name) {
    return IMAGE_ID.matcher(name).matches() || IMAGE_NAME.matcher(name).matches();
  }

  /** Parses "repo", "repo:tag" or "registry:5000/repo:tag"; "repo" alone means ":latest". */
  public static ImageReference parse(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    if (colon > slash) {
      return new ImageReference(reference.substring(0, colon), reference.substring(colon + 1));
    }
    return new ImageReference(reference, "latest");
  }

  /**
   * The default name of the slim image of {@code original} (what the user passed: a tag, a
   * digest reference or an image id): the repository with ".slim" appended, the same tag, so
   * {@code app:1.0} becomes {@code app.slim:1.0}. An id names no repository: the image's first
   * tag does, else "minify".
   *
   * @param repoTags the tags the engine has for the original image
   */
  public static ImageReference slimDefault(String original, List<String> repoTags) {
    String ref = original;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    if (IMAGE_ID.matcher(ref).matches()) {
      ref = repoTags.isEmpty() ? "minify:latest" : repoTags.get(0);
    }
    ImageReference parsed = parse(ref);
    return new ImageReference(parsed.repository() + ".slim", parsed.tag());
  }

  /** "repository:tag", as {@code docker load} and {@code docker tag} want it. */
  @Override
  public String toString() {
    return repository + ":" + tag;
  }
}
