package io.minify.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code RUN} that downloads packages without a BuildKit cache mount: each build downloads
 * them again. Reported only where the cache does not otherwise stay in the image (that is
 * {@link CacheLeftRule}'s finding, whose fix names the mount too): one finding per
 * {@code RUN} and manager, never two that pull in different directions.
 */
final class CacheMountRule implements LintRule {
  @Override
  public String id() {
    return "no-cache-mount";
  }

  @Override
  public Level level() {
    return Level.INFO;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    for (PackageRun run : PackageRun.of(target.dockerfile())) {
      if (run.mounted() || (run.shipped() && !run.leftNoCache())) {
        continue;
      }
      PackageManager m = run.manager();
      found.add(finding(run.run().line(), "this RUN downloads " + m.label()
          + " packages again on every build: no cache mount keeps them between builds",
          "add --mount=type=cache,target=" + m.cacheMountTarget() + " to the RUN (BuildKit keeps the cache"
              + " out of the image and across builds)"));
    }
    return found;
  }
}
