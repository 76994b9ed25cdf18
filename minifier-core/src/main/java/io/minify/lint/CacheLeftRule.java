package io.minify.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code RUN} of a shipped stage fills a package manager's cache and neither removes it
 * nor mounts a cache there: the layer keeps the downloads. Removing it in a later
 * {@code RUN} does not help, the earlier layer still holds it.
 */
final class CacheLeftRule implements LintRule {
  @Override
  public String id() {
    return "cache-left";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    for (PackageRun run : PackageRun.of(target.dockerfile())) {
      if (!run.shipped() || run.mounted() || run.leftNoCache()) {
        continue;
      }
      PackageManager m = run.manager();
      String reason = "this RUN leaves " + m.cache() + " in its layer"
          + run.removedLater().map(r -> "; the RUN on line " + r.line()
              + " removes it, but this layer still holds it").orElse("");
      found.add(finding(run.run().line(), reason, m.removal()
          + "; or keep it out of the image with RUN --mount=type=cache,target=" + m.cacheMountTarget()));
    }
    return found;
  }
}
