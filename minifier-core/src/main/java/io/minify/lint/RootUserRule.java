package io.minify.lint;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shipped image runs as root: {@code USER root} last, or no {@code USER} in the stages
 * that ship on scratch or an official base (root); on another base, which may set a user of
 * its own, the missing {@code USER} is an info.
 */
final class RootUserRule implements LintRule {
  private static final Pattern ROOT = Pattern.compile("(root|0)(:.*)?");

  @Override
  public String id() {
    return "root-user";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    Optional<Instruction> user = target.lastShipped("USER");
    String fix = "create a user (RUN useradd --system --uid 10001 app) and end with USER app (or a numeric"
        + " USER 10001:10001 on an image without /etc/passwd)";
    if (user.isEmpty()) {
      Dockerfile dockerfile = target.dockerfile();
      String base = dockerfile.shippedBase();
      if (base.contains("nonroot") || base.contains("rootless")) {
        return List.of();
      }
      int line = dockerfile.finalStage().from().line();
      boolean knownRoot = base.equalsIgnoreCase("scratch") || ImageName.judged(dockerfile,
          dockerfile.shippedChain().get(0))
          .map(n -> n.official() && ImageName.ROOT_BY_DEFAULT.contains(n.path())).orElse(false);
      if (knownRoot) {
        return List.of(finding(line, "no USER in the shipped stages: the app runs as root (" + base
            + " sets no other user)", fix));
      }
      // another image may set a USER of its own: lint cannot see it, so it says so, one level lower
      return List.of(new Finding(line, Level.INFO, id(), "no USER in the shipped stages: the app runs as the user "
          + base + " sets, root unless it sets another", fix));
    }
    String name = user.get().arguments().strip();
    if (ROOT.matcher(name).matches()) {
      return List.of(finding(user.get().line(), "USER " + name + " is the last USER: the app runs as root", fix));
    }
    return List.of();
  }
}
