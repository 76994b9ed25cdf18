package io.minify.lint;

import java.util.List;

/**
 * The shipped image starts from a full distribution or language image where a slim, Alpine
 * or distroless variant exists. Only official images are judged (their variants are known)
 * and only the base of what ships: a build stage may be as big as it likes.
 */
final class BaseNotSlimRule implements LintRule {
  private static final List<String> SMALL = List.of("slim", "alpine", "distroless", "minimal", "busybox", "chiseled",
      "micro", "nano");

  @Override
  public String id() {
    return "base-not-slim";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    Stage base = target.dockerfile().shippedChain().get(0);
    return ImageName.judged(target.dockerfile(), base)
        .filter(name -> name.official() && ImageName.FULL_DISTRIBUTIONS.contains(name.path()))
        .filter(name -> SMALL.stream().noneMatch(s -> name.tag().orElse("").contains(s)))
        .map(name -> List.of(finding(base.from().line(), "the shipped image starts from the full '" + name.path()
            + "' image (" + base.base() + "): a whole distribution with compilers, docs and tools the app does not"
            + " run", "use a slim or alpine tag (e.g. " + name.path() + ":<version>-slim), a distroless base, or build"
            + " in this image and copy the result into a small final stage")))
        .orElse(List.of());
  }
}
