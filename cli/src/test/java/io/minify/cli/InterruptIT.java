package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ctrl-C in the middle of a build: the container, the temp files and the tag must all go. */
class InterruptIT {

  @Test
  void ctrlCWhileTheAppIsWatchedLeavesNothingBehind() throws Exception {
    Path jar = Path.of("target", "minify.jar").toAbsolutePath();
    Path workRoot = Files.createTempDirectory("minify-it-int");
    String slimTag = "minify-it/interrupted.slim:1";
    try (ContainerEngine engine = DockerJavaEngine.connect()) {
      Process build = new ProcessBuilder("java", "-jar", jar.toString(), "build", "minify-sample/python-flask:1.0",
          "--tag", slimTag, "--no-report", "--work-dir", workRoot.toString())
          .redirectErrorStream(true).start();
      StringBuilder seen = new StringBuilder();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          seen.append(line).append('\n');
          if (line.contains("start gated")) {
            break;
          }
        }
        assertTrue(seen.toString().contains("start gated"), "the build reached the watched run:\n" + seen);
        assertFalse(engine.containersWithLabel(io.minify.engine.ContainerSpec.WORK_ROOT_LABEL + "="
                + workRoot.toAbsolutePath().normalize()).isEmpty(),
            "a watched container exists before the interrupt");
        new ProcessBuilder("kill", "-INT", String.valueOf(build.pid())).start().waitFor();
        assertTrue(build.waitFor(60, TimeUnit.SECONDS), "minify stops after Ctrl-C");
        out.lines().forEach(l -> seen.append(l).append('\n'));
      }
      assertEquals(130, build.exitValue(), seen.toString());
      assertFalse(engine.inspectImage(slimTag).isPresent(), "no tag after an interrupted build");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      Files.deleteIfExists(workRoot);
    }
  }
}
