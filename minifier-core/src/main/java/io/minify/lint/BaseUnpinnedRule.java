package io.minify.lint;

import java.util.ArrayList;
import java.util.List;

/** A {@code FROM} without a tag, or with {@code latest}: the next build may start from another image. */
final class BaseUnpinnedRule implements LintRule {
  @Override
  public String id() {
    return "base-unpinned";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    for (Stage stage : target.dockerfile().stages()) {
      ImageName.judged(target.dockerfile(), stage)
          .filter(name -> name.digest().isEmpty() && name.tag().map(t -> t.equals("latest")).orElse(true))
          .ifPresent(name -> found.add(finding(stage.from().line(), "FROM " + stage.base() + " is "
              + (name.tag().isEmpty() ? "not pinned (no tag means latest)" : "pinned to latest")
              + ": whatever latest is at build time, so builds are not repeatable",
              "pin a version tag (" + name.path() + ":<version>) or, better, a digest (@sha256:...)")));
    }
    return found;
  }
}
