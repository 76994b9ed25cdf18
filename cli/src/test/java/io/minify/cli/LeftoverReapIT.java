package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import io.minify.image.WorkFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a build leaves its running container (with its published port) and its
 * work directory: nothing in the process runs any more to remove them. The next build reaps
 * them, names them on stderr, and leaves a build that still runs alone.
 */
class LeftoverReapIT extends RealEngineTest {
  private static final String IMAGE = "minify-sample/java-http:1.0";
  private static final String PREFIX = "minify: removed what a build that ended without cleaning up left (pid ";

  @Test
  void theNextBuildReapsWhatAKilledBuildLeftAndNothingOfALiveOne() throws Exception {
    String slimTag = "minify-it/reaped.slim:1";
    String liveTag = "minify-it/reap-live.slim:1";
    Path liveRoot = Files.createTempDirectory("minify-it-");
    try (MinifyProcess killed = watching(slimTag, workRoot); MinifyProcess live = watching(liveTag, liveRoot)) {
      assertTrue(killed.awaitLine("until SIGUSR1"), killed.output());
      assertTrue(live.awaitLine("until SIGUSR1"), live.output());
      List<String> left = containersIn(workRoot);
      List<String> liveContainers = containersIn(liveRoot);
      assertFalse(left.isEmpty(), "the killed build's app runs");
      String runId = DockerCli.label(left.get(0), ContainerSpec.OWNER_LABEL);
      assertEquals(String.valueOf(killed.pid()), DockerCli.label(left.get(0), ContainerSpec.OWNER_PID_LABEL));
      long pid = killed.pid();

      assertEquals(137, killed.kill(), killed.output());

      assertEquals(left, containersIn(workRoot), "kill -9 removes nothing");
      for (String id : left) {
        assertTrue(engine.containers().containerState(id).running(), id + " still runs");
      }
      assertFalse(engine.containers().publishedPorts(left.get(0)).isEmpty(), "with its port");
      Path workDir = onlyEntry(workRoot);
      assertTrue(workDir.getFileName().toString().startsWith("minify-"), workDir.toString());
      assertEquals(workDir.toString(), DockerCli.label(left.get(0), ContainerSpec.WORK_DIR_LABEL));

      try (MinifyProcess next = MinifyProcess.start("build", IMAGE, "--tag", slimTag, "--no-report",
          "--work-dir", workRoot.toString())) {
        assertEquals(0, next.awaitExit(600), next.output());
        // only this test's dead build counts: another one's may be reaped too on a shared engine
        List<String> said = next.output().lines().filter(l -> l.startsWith(PREFIX + pid + ", ")).toList();
        assertEquals(1, said.size(), "one line for the killed build:\n" + next.output());
        String line = said.get(0);
        for (String id : left) {
          assertTrue(line.contains("container " + id.substring(0, 12)), line);
        }
        assertTrue(line.endsWith(", work dir " + workDir + ")"), line);
      }

      assertFalse(Files.exists(workDir), "its work directory is gone");
      for (String id : left) {
        assertFalse(engine.containers().containersWithLabel(ContainerSpec.OWNER_LABEL + "=" + runId).contains(id), id);
      }
      assertFalse(engine.images().inspectImage("minify-run:" + runId).isPresent());
      assertTrue(engine.images().inspectImage(slimTag).isPresent(), "the next build built and tagged its image");

      assertTrue(live.isAlive(), "the live build runs on:\n" + live.output());
      assertEquals(liveContainers, containersIn(liveRoot), "the live build's container is left alone");
      live.signal("USR1");
      assertEquals(0, live.awaitExit(600), live.output());
      assertTrue(engine.images().inspectImage(liveTag).isPresent(), "the live build finished and tagged its image");
      Leftovers.assertNone(engine, workRoot);
      Leftovers.assertNone(engine, liveRoot);
    } finally {
      // a failed assertion must not leave the killed build's app running on the shared engine
      for (Path root : List.of(workRoot, liveRoot)) {
        containersIn(root).forEach(engine.containers()::removeContainer);
        try (Stream<Path> entries = Files.list(root)) {
          for (Path entry : entries.toList()) {
            WorkFiles.deleteTree(entry);
          }
        }
      }
      TestImages.untag(slimTag);
      TestImages.untag(liveTag);
      Files.deleteIfExists(liveRoot);
    }
  }

  /** A build that watches the app until SIGUSR1: its container runs, with its port, until then. */
  private static MinifyProcess watching(String tag, Path root) throws Exception {
    return MinifyProcess.start("build", IMAGE, "--continue-after", "signal", "--tag", tag, "--no-report",
        "--work-dir", root.toString());
  }

  private static List<String> containersIn(Path root) {
    return engine.containers().containersWithLabel(
        ContainerSpec.WORK_ROOT_LABEL + "=" + root.toAbsolutePath().normalize());
  }

  private static Path onlyEntry(Path dir) throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> all = entries.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
