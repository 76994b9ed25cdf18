package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The engine restarts while a build watches its app. The daemon stops the app's container,
 * then its API; the build must say it was the engine (exit 3), not blame the app, and once the
 * engine is back remove the container it left (stopped) rather than leave it.
 *
 * <p>Restarts the suite's own engine: the one {@code scripts/engine.sh} started (a plain
 * {@code dockerd}), and only that one, so a developer's system daemon is never touched.
 */
class EngineRestartIT extends RealEngineTest {

  @Test
  void anEngineRestartWhileTheAppIsWatchedIsAnEnvironmentFailureAndLeavesNothing() throws Exception {
    long dockerd = scriptStartedDockerd();
    String image = "minify-it/engine-restart:1";
    String slim = "minify-it/engine-restart.slim:1";
    // stops at once on SIGTERM, as a server would, so the daemon's shutdown is quick
    TestImages.build(image, "FROM minify-base:bookworm\n"
        + "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 300 & wait\"]\n");
    try (MinifyProcess build = MinifyProcess.start("build", image, "--http-probe-off", "--continue-after", "signal",
        "--no-report", "--work-dir", workRoot.toString())) {
      assertTrue(build.awaitLine("until SIGUSR1"), build.output());
      run("kill", "-TERM", String.valueOf(dockerd));
      assertTrue(ProcessHandle.of(dockerd).map(p -> p.onExit()).map(f -> {
        try {
          f.get(60, TimeUnit.SECONDS);
          return true;
        } catch (Exception e) {
          return false;
        }
      }).orElse(true), "dockerd stopped");
      run(Path.of("..", "scripts", "engine.sh").toAbsolutePath().normalize().toString());

      assertEquals(3, build.awaitExit(120), build.output());
      List<String> said = build.output().lines().filter(l -> l.startsWith("minify: ")).toList();
      assertEquals(1, said.size(), build.output());
      assertTrue(said.get(0).startsWith("minify: error: probe: the Docker engine stopped"), build.output());
    }
    // the suite's connection may hold sockets of the old daemon: ask the new one afresh
    try (ContainerEngine after = DockerJavaEngine.connect()) {
      Leftovers.assertNone(after, workRoot);
      assertFalse(after.images().inspectImage(slim).isPresent(), "no slim tag");
    } finally {
      TestImages.untag(image);
    }
  }

  /**
   * The pid of the dockerd scripts/engine.sh started (its command line is exactly "dockerd", so
   * it serves /var/run/docker.sock); otherwise the test cannot run here. The suite's other
   * engines (scripts/engine-next.sh, a docker-in-docker one) have command lines of their own
   * and sockets of their own, and are left alone.
   */
  private static long scriptStartedDockerd() throws Exception {
    List<ProcessHandle> daemons = ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
        .filter(p -> {
          try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                StandardCharsets.UTF_8).equals("dockerd\0");
          } catch (java.io.IOException gone) {
            return false;
          }
        }).toList();
    Assumptions.assumeTrue(daemons.size() == 1, "dockerd was not started by scripts/engine.sh, or more than once"
        + " (a system daemon is not restarted by a test): " + daemons.size());
    Assumptions.assumeTrue(System.getenv("DOCKER_HOST") == null || System.getenv("DOCKER_HOST").isBlank(),
        "the suite runs against DOCKER_HOST, not the engine scripts/engine.sh started");
    return daemons.get(0).pid();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
  }
}
