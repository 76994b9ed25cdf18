package io.minify.lint;

import java.util.List;

/**
 * No {@code HEALTHCHECK} in the stages that ship: the engine can only tell that the process
 * runs, not that it answers. {@code HEALTHCHECK NONE} is a decision and counts.
 */
final class HealthcheckRule implements LintRule {
  @Override
  public String id() {
    return "no-healthcheck";
  }

  @Override
  public Level level() {
    return Level.INFO;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    if (target.lastShipped("HEALTHCHECK").isPresent()) {
      return List.of();
    }
    return List.of(finding(target.dockerfile().finalStage().from().line(), "no HEALTHCHECK: the engine cannot tell"
        + " a running container from one that answers", "add HEALTHCHECK CMD with a check the image can run (e.g."
        + " HEALTHCHECK CMD [\"/app/healthcheck\"]), or HEALTHCHECK NONE to say there is none on purpose"));
  }
}
