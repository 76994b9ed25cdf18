package io.minify.lint;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Build tools are installed or used, and there is no separate build stage: compilers,
 * package headers and build caches ship with the app.
 */
final class MultiStageRule implements LintRule {
  private static final Set<String> TOOLS = Set.of("gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake",
      "ninja", "javac", "mvn", "mvnw", "gradle", "gradlew", "cargo", "rustc", "tsc", "webpack");
  private static final Pattern BUILD_PACKAGE = Pattern.compile("build-essential|build-base|gcc|g\\+\\+|make|cmake"
      + "|golang(-go)?|maven|gradle|default-jdk|openjdk-[0-9]+-jdk(-headless)?|rustc|cargo|.+-dev|.+-devel");

  @Override
  public String id() {
    return "no-multi-stage";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    Dockerfile dockerfile = target.dockerfile();
    if (dockerfile.shippedChain().size() < dockerfile.stages().size()) {
      return List.of(); // a stage that does not ship exists: the build has one of its own
    }
    for (Instruction run : target.shippedRuns()) {
      Optional<String> tool = ShellScript.of(run).stream().map(MultiStageRule::buildTool)
          .flatMap(Optional::stream).findFirst();
      if (tool.isPresent()) {
        return List.of(finding(run.line(), tool.get() + " in the only stage: the build tools and their"
            + " caches ship with the app", "build in a stage of its own (FROM ... AS build) and COPY --from=build"
            + " only what the app runs into a slim final stage"));
      }
    }
    return List.of();
  }

  private static Optional<String> buildTool(ShellCommand c) {
    String program = c.program();
    String sub = c.subcommand();
    if (TOOLS.contains(program)) {
      return Optional.of("'" + program + "' runs");
    }
    if (program.equals("go") && (sub.equals("build") || sub.equals("install"))
        || program.equals("dotnet") && (sub.equals("build") || sub.equals("publish"))
        || (program.equals("npm") || program.equals("yarn") || program.equals("pnpm"))
        && c.arguments().stream().filter(a -> !a.startsWith("-")).toList().equals(List.of("run", "build"))
        || program.equals("yarn") && sub.equals("build")) {
      return Optional.of("'" + program + " " + String.join(" ", c.arguments()) + "' builds");
    }
    boolean install = (Set.of("apt-get", "apt", "dnf", "yum", "microdnf").contains(program) && sub.equals("install"))
        || program.equals("apk") && sub.equals("add");
    if (install) {
      return c.arguments().stream().filter(a -> !a.startsWith("-") && BUILD_PACKAGE.matcher(a).matches())
          .findFirst().map(p -> "the build package '" + p + "' is installed");
    }
    return Optional.empty();
  }
}
