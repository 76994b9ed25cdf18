package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import org.junit.jupiter.api.Test;

/** Ctrl-C in the middle of a build: the container, the temp files and the tag must all go. */
class InterruptIT extends RealEngineTest {

  @Test
  void ctrlCWhileTheAppIsWatchedLeavesNothingBehind() throws Exception {
    String slimTag = "minify-it/interrupted.slim:1";
    TestImages.untag(slimTag); // what an earlier, failed run of this test may have left on a shared engine
    try (MinifyProcess build = MinifyProcess.start("build", "minify-sample/python-flask:1.0", "--tag", slimTag,
        "--no-report", "--work-dir", workRoot.toString())) {
      assertTrue(build.awaitLine("start gated"), "the build reached the watched run:\n" + build.output());
      assertFalse(engine.containers().containersWithLabel(ContainerSpec.WORK_ROOT_LABEL + "="
          + workRoot.toAbsolutePath().normalize()).isEmpty(), "a watched container exists before the interrupt");
      build.signal("INT");
      assertEquals(130, build.awaitExit(60), build.output());
    }
    assertFalse(engine.images().inspectImage(slimTag).isPresent(), "no tag after an interrupted build");
    Leftovers.assertNone(engine, workRoot);
  }
}
