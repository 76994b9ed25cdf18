package io.minify.lint;

import java.util.ArrayList;
import java.util.List;

/** A {@code FROM} pinned to a version tag but not a digest: tags are moved when a base is rebuilt. */
final class BaseByTagRule implements LintRule {
  @Override
  public String id() {
    return "base-by-tag";
  }

  @Override
  public Level level() {
    return Level.INFO;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    for (Stage stage : target.dockerfile().stages()) {
      ImageName.judged(target.dockerfile(), stage)
          .filter(name -> name.digest().isEmpty() && name.tag().filter(t -> !t.equals("latest")).isPresent())
          .ifPresent(name -> found.add(finding(stage.from().line(), "FROM " + stage.base()
              + " is pinned by tag only: the tag can be moved to another image",
              "add the digest: FROM " + stage.base() + "@sha256:<digest>")));
    }
    return found;
  }
}
