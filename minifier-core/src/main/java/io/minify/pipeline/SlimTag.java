package io.minify.pipeline;

import java.util.regex.Pattern;

/**
 * The repository:tag of a slim image. Default: the original repository with ".slim"
 * appended and the original tag, so {@code app:1.0} becomes {@code app.slim:1.0}.
 */
public record SlimTag(String repository, String tag) {

  // the engine's own grammar, simplified: lower-case path components, optional registry port
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public SlimTag {
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("'" + repository + "' is not a valid image repository name"
          + " (lower-case letters, digits, '.', '_', '-', '/')");
    }
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("'" + tag + "' is not a valid image tag");
    }
  }

  /** Parses "repo", "repo:tag" or "registry:5000/repo:tag". */
  public static SlimTag parse(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    if (colon > slash) {
      return new SlimTag(reference.substring(0, colon), reference.substring(colon + 1));
    }
    return new SlimTag(reference, "latest");
  }

  /** The default slim name for an image reference; an id-only reference gets "minify.slim". */
  public static SlimTag defaultFor(String imageReference, java.util.List<String> repoTags) {
    String ref = imageReference;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    boolean looksLikeId = ref.startsWith("sha256:") || ref.matches("[0-9a-f]{12,64}");
    if (looksLikeId) {
      ref = repoTags.isEmpty() ? "minify:latest" : repoTags.get(0);
    }
    SlimTag original = parse(ref);
    return new SlimTag(original.repository() + ".slim", original.tag());
  }

  @Override
  public String toString() {
    return repository + ":" + tag;
  }
}
