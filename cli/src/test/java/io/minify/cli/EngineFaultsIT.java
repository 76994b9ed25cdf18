package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the engine and of the target, on a real engine: no engine at all, the app killed
 * while it is watched, the app exiting on its own. Each is one line naming the stage, the
 * README's exit code, and nothing left behind.
 */
class EngineFaultsIT extends RealEngineTest {

  @TempDir
  Path reports;

  @Test
  void noEngineAtStartSaysHowToStartOne() throws Exception {
    String socket = "unix://" + workRoot.resolve("no-engine.sock");
    Path report = reports.resolve("report.json");
    try (MinifyProcess build = MinifyProcess.startWith(Map.of("DOCKER_HOST", socket), "build",
        "minify-sample/redis:1.0", "--http-probe-off", "--continue-after", "timeout:1", "--report", report.toString(),
        "--work-dir", workRoot.toString())) {
      assertEquals(3, build.awaitExit(60), build.output());
      assertEquals(List.of("minify: error: inspect: no Docker engine answers at " + socket
          + ": No such file or directory (start one with 'systemctl start docker' or 'dockerd &', or set DOCKER_HOST"
          + " to one that runs)"),
          build.output().strip().lines().toList());
    }
    JsonNode written = new ObjectMapper().readTree(report.toFile());
    assertTrue(written.get("failed").asBoolean());
    assertEquals("inspect", written.get("stage").asText());
    assertEquals(3, written.get("exitCode").asInt());
    assertTrue(written.get("message").asText().startsWith("inspect: no Docker engine answers at "), written.toString());
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void theAppKilledWhileWatchedFailsTheBuildWithItsExitCode() throws Exception {
    String slimTag = "minify-it/killed.slim:1";
    try (MinifyProcess build = MinifyProcess.start("build", "minify-sample/redis:1.0", "--http-probe-off",
        "--continue-after", "signal", "--tag", slimTag, "--no-report", "--work-dir", workRoot.toString())) {
      assertTrue(build.awaitLine("until SIGUSR1"), build.output());
      List<String> containers = engine.containers().containersWithLabel(ContainerSpec.WORK_ROOT_LABEL + "="
          + workRoot.toAbsolutePath().normalize());
      assertEquals(1, containers.size(), containers.toString());
      DockerCli.run("kill", containers.get(0));
      assertEquals(1, build.awaitExit(60), build.output());
      assertTrue(build.output().contains("minify: error: probe: the app exited with code 137 (signal 9) while it"
          + " was watched\n"), build.output());
      assertFalse(engine.images().inspectImage(slimTag).isPresent(), "no slim tag");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(slimTag);
    }
  }

  @Test
  void anAppThatCrashesWhileWatchedFailsTheBuildAndShowsItsLog() throws Exception {
    String image = "minify-it/crashes-later:1";
    TestImages.build(image, "FROM minify-base:bookworm\n"
        + "CMD [\"sh\", \"-c\", \"sleep 2; echo 'lost its database' >&2; exit 7\"]\n");
    try {
      CliRun run = CliRun.of("build", image, "--http-probe-off", "--continue-after", "timeout:30", "--no-report",
          "--work-dir", workRoot.toString());
      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(run.err().contains("minify: error: probe: the app exited with code 7 while it was watched\n"),
          run.toString());
      assertTrue(run.err().contains("| lost its database"), run.toString());
      assertFalse(engine.images().inspectImage("minify-it/crashes-later.slim:1").isPresent(), "no slim tag");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(image);
    }
  }

  @Test
  void aJobThatFinishesWhileWatchedIsMinifiedAndItsSlimImageFinishesToo() throws Exception {
    String image = "minify-it/finishes:1";
    String slim = "minify-it/finishes.slim:1";
    TestImages.build(image, "FROM minify-base:bookworm\n"
        + "CMD [\"sh\", \"-c\", \"head -c 5 /etc/os-release; sleep 2\"]\n");
    try {
      CliRun run = CliRun.of("build", image, "--http-probe-off", "--continue-after", "timeout:30", "--no-report",
          "--work-dir", workRoot.toString());
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.err().contains("continued after app exited"), run.toString());
      // exits 0 (DockerCli fails otherwise) after printing what it read
      assertEquals("PRETT", DockerCli.run("run", "--rm", "--pull", "never", slim));
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(slim);
      TestImages.untag(image);
    }
  }
}
