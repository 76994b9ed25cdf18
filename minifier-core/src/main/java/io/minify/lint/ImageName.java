package io.minify.lint;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The parts of a {@code FROM} image reference lint judges: {@code [registry/]path[:tag][@digest]}.
 *
 * @param registry the host part, "" for the default registry
 * @param path     the repository path, {@code library/} removed: {@code python}, {@code bitnami/redis}
 * @param tag      the tag, if written
 * @param digest   the digest, if written
 */
record ImageName(String registry, String path, Optional<String> tag, Optional<String> digest) {

  /** Official images whose default tags are a whole distribution with compilers and docs. */
  static final Set<String> FULL_DISTRIBUTIONS = Set.of("debian", "ubuntu", "node", "python", "ruby", "golang",
      "openjdk", "php", "perl", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "buildpack-deps", "rust",
      "maven", "gradle", "elixir", "erlang", "haskell", "r-base", "oraclelinux");
  /** Official images known to set no USER: their containers run as root. */
  static final Set<String> ROOT_BY_DEFAULT = Stream.concat(FULL_DISTRIBUTIONS.stream(),
      Stream.of("alpine", "busybox")).collect(Collectors.toUnmodifiableSet());

  static ImageName parse(String reference) {
    String rest = reference;
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    String registry = "";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals("docker.io") || registry.equals("index.docker.io")) {
      registry = "";
    }
    if (registry.isEmpty() && rest.startsWith("library/")) {
      rest = rest.substring("library/".length());
    }
    return new ImageName(registry, rest, tag, digest);
  }

  /** Whether {@code base} is an image to judge: not scratch, not an earlier stage, no variable left. */
  static Optional<ImageName> judged(Dockerfile dockerfile, Stage stage) {
    String base = stage.base();
    if (base.isEmpty() || base.contains("$") || base.equalsIgnoreCase("scratch")
        || dockerfile.earlierStage(stage).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(parse(base));
  }

  /**
   * A name of the default registry's official images ({@code debian}, {@code python}); a local
   * image named with one word looks the same, so only the names of known images are trusted.
   */
  boolean official() {
    return registry.isEmpty() && !path.contains("/");
  }
}
