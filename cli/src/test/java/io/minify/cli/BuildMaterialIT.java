package io.minify.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 on a real engine: what a build leaves readable on a shared host while it runs, an
 * image that holds the gate's mount point, and what an interrupted build says.
 */
class BuildMaterialIT extends RealEngineTest {

  @Test
  void theWorkDirectoryIsPrivateWhileTheBuildRuns() throws Exception {
    String slimTag = "minify-it/private.slim:1";
    try (MinifyProcess build = MinifyProcess.start("build", "minify-sample/redis:1.0", "--http-probe-off",
        "--continue-after", "signal", "--tag", slimTag, "--no-report", "--work-dir", workRoot.toString())) {
      assertTrue(build.awaitLine("until SIGUSR1"), build.output());
      Path work;
      try (Stream<Path> dirs = Files.list(workRoot)) {
        work = dirs.filter(d -> d.getFileName().toString().startsWith("minify-")).findFirst().orElseThrow();
      }
      // the image's layers are spooled while the app runs: wait until some are on disk
      await().atMost(Duration.ofSeconds(60)).until(() -> modes(work).keySet().stream().anyMatch(p -> p.endsWith(".tar")));
      Map<String, String> modes = modes(work);
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work)), "the work dir");
      modes.forEach((path, mode) -> {
        if (path.contains("minify-gate-")) {
          // reached by the app's user through the bind mount only, since the work dir is 0700
          return;
        }
        assertTrue(mode.equals("rw-------") || mode.equals("rwx------"), path + " is " + mode + ": " + modes);
      });
      build.signal("USR1");
      assertEquals(0, build.awaitExit(120), build.output());
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(slimTag);
    }
  }

  @Test
  void anImageWithAFileWhereTheGateMountsIsBadInput() throws Exception {
    String image = "minify-it/gate-file:1";
    TestImages.build(image, "FROM minify-base:bookworm\nRUN touch /.minify\nCMD [\"sleep\", \"60\"]\n");
    try {
      CliRun run = CliRun.of("build", image, "--http-probe-off", "--continue-after", "timeout:1", "--no-report",
          "--work-dir", workRoot.toString());
      assertEquals(2, run.exitCode(), run.toString());
      assertTrue(run.err().lines().anyMatch(l -> l.startsWith("minify: error: start gated: the image has /.minify as"
          + " a file or a link")), run.toString());
      Leftovers.assertNone(engine, workRoot);
      assertFalse(engine.images().inspectImage("minify-it/gate-file.slim:1").isPresent());
    } finally {
      TestImages.untag(image);
    }
  }

  /**
   * A link where the gate mounts is worse than a file: the engine follows it, mounts the gate
   * where it points (a directory of the image, or one it makes for a dangling link) and the
   * container starts, so the build fails later for a false reason, or does not fail at all.
   * It is the image that is wrong, and the line must say so.
   */
  @ParameterizedTest(name = "/.minify -> {0}")
  @ValueSource(strings = {"/tmp", "/nowhere"})
  void anImageWithALinkWhereTheGateMountsIsBadInput(String target) throws Exception {
    String image = "minify-it/gate-link:1";
    String slim = "minify-it/gate-link.slim:1";
    TestImages.build(image, "FROM minify-base:bookworm\nRUN ln -s " + target + " /.minify\nCMD [\"sleep\", \"60\"]\n");
    try {
      CliRun run = CliRun.of("build", image, "--http-probe-off", "--continue-after", "timeout:1", "--no-report",
          "--work-dir", workRoot.toString());
      assertEquals(2, run.exitCode(), run.toString());
      List<String> said = run.err().lines().filter(l -> l.startsWith("minify: ")).toList();
      assertEquals(1, said.size(), run.toString());
      // the gate is a bind mount (Mounts API), which the engine refuses to put on a link: the start
      // fails and the image is read to say why; the image check at probe or selection stays for
      // an engine that follows the link instead
      assertTrue(said.get(0).matches(
          "minify: error: (start gated|probe|select): the image has /\\.minify as a file or a link.*"),
          run.toString());
      Leftovers.assertNone(engine, workRoot);
      assertFalse(engine.images().inspectImage(slim).isPresent(), "no slim tag after bad input");
    } finally {
      TestImages.untag(slim);
      TestImages.untag(image);
    }
  }

  @Test
  void sigtermSaysWhichStageItInterruptedAndNothingElse() throws Exception {
    String slimTag = "minify-it/sigterm.slim:1";
    try (MinifyProcess build = MinifyProcess.start("build", "minify-sample/redis:1.0", "--http-probe-off",
        "--continue-after", "signal", "--tag", slimTag, "--no-report", "--work-dir", workRoot.toString())) {
      assertTrue(build.awaitLine("until SIGUSR1"), build.output());
      build.signal("TERM");
      assertEquals(143, build.awaitExit(60), build.output());
      assertTrue(build.output().contains("minify: interrupted during probe"), build.output());
      assertFalse(build.output().contains("minify: error:"), "no false cause: " + build.output());
    } finally {
      TestImages.untag(slimTag);
    }
    Leftovers.assertNone(engine, workRoot);
  }

  /** Every path under {@code dir} (relative) and its permissions. */
  private static Map<String, String> modes(Path dir) throws Exception {
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        try {
          modes.put(dir.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        } catch (java.nio.file.NoSuchFileException gone) {
          // a spool file renamed meanwhile
        }
      }
    }
    modes.remove("");
    return modes;
  }
}
