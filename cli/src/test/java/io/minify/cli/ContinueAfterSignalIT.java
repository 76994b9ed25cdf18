package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code --continue-after signal}: minify watches a non-HTTP app until it gets SIGUSR1, the
 * way a user drives the app by hand or a CI step signals "done", then builds and verifies.
 */
class ContinueAfterSignalIT extends RealEngineTest {

  @Test
  void watchesUntilSigusr1() throws Exception {
    Path report = Files.createTempFile("minify-it-sig", ".json");
    String slimTag = "minify-it/signal.slim:1";
    try (MinifyProcess build = MinifyProcess.start("build", "minify-sample/redis:1.0", "--http-probe-off",
        "--continue-after", "signal", "--tag", slimTag, "--report", report.toString(),
        "--work-dir", workRoot.toString())) {
      assertTrue(build.awaitLine("until SIGUSR1"), build.output());
      assertTrue(build.output().contains("kill -USR1 " + build.pid()), "minify says how to end the watch:\n"
          + build.output());
      Thread.sleep(1000); // no condition to await: the point is that nothing happens without the signal
      assertTrue(build.isAlive(), "still watching before the signal:\n" + build.output());
      build.signal("USR1");
      assertEquals(0, build.awaitExit(120), build.output());
      assertEquals("signal", new ObjectMapper().readTree(report.toFile()).at("/probing/continuedAfter").asText());
      assertTrue(engine.images().inspectImage(slimTag).isPresent(), "the verified slim image is tagged");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(slimTag);
      Files.deleteIfExists(report);
    }
  }
}
