package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --continue-after signal}: minify watches a non-HTTP app until it gets SIGUSR1, the
 * way a user drives the app by hand or a CI step signals "done", then builds and verifies.
 */
class ContinueAfterSignalIT {

  @Test
  void watchesUntilSigusr1() throws Exception {
    Path jar = Path.of("target", "minify.jar").toAbsolutePath();
    Path workRoot = Files.createTempDirectory("minify-it-sig");
    Path report = Files.createTempFile("minify-it-sig", ".json");
    String slimTag = "minify-it/signal.slim:1";
    try (ContainerEngine engine = DockerJavaEngine.connect()) {
      Process build = new ProcessBuilder("java", "-jar", jar.toString(), "build", "minify-sample/redis:1.0",
          "--http-probe-off", "--continue-after", "signal", "--tag", slimTag, "--report", report.toString(),
          "--work-dir", workRoot.toString())
          .redirectErrorStream(true).start();
      StringBuilder seen = new StringBuilder();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          seen.append(line).append('\n');
          if (line.contains("until SIGUSR1")) {
            break;
          }
        }
        assertTrue(seen.toString().contains("kill -USR1 " + build.pid()), "minify says how to end the watch:\n" + seen);
        Thread.sleep(1000);
        assertTrue(build.isAlive(), "still watching before the signal:\n" + seen);
        new ProcessBuilder("kill", "-USR1", String.valueOf(build.pid())).start().waitFor();
        assertTrue(build.waitFor(120, TimeUnit.SECONDS), "minify goes on after SIGUSR1");
        out.lines().forEach(l -> seen.append(l).append('\n'));
      }
      assertEquals(0, build.exitValue(), seen.toString());
      assertEquals("signal", new ObjectMapper().readTree(report.toFile()).at("/probing/continuedAfter").asText());
      assertTrue(engine.inspectImage(slimTag).isPresent(), "the verified slim image is tagged");
      Leftovers.assertNone(engine, workRoot);
      engine.removeImage(slimTag);
    } finally {
      Files.deleteIfExists(report);
      Files.deleteIfExists(workRoot);
    }
  }
}
