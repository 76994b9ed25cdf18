package io.minify.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, "two builds of the same image race": two real {@code minify build} processes of
 * one image, with the same options, make one slim image id. Each holds it by a tag of its
 * own ({@code minify-run:<run id>}) and takes back only that tag, so neither a success nor a
 * failure of one build can take the image from the other. SIGUSR1 and a file the verify
 * run waits for put the builds in a known order instead of hoping for one.
 */
class SameImageBuildsIT extends RealEngineTest {

  private static final String IMAGE = "minify-it/same-image:1";
  /** IMAGE's default slim tag: neither build names one, as two jobs of one pipeline would not. */
  private static final String SLIM = "minify-it/same-image.slim:1";
  /** Each run's temporary tag on the slim image (InspectStep.RUN_REPOSITORY). */
  private static final String RUN_REPOSITORY = "minify-run";
  /**
   * The exec probe, answered in both runs of each build through a directory of the test's
   * mounted at /probe: while /probe/hold exists it waits, which holds a build in its verify
   * stage; its exit code says whether /probe/answer still says what it said in the watched
   * run. Neither file is in the image, so every build makes the same slim image id.
   */
  private static final String PROBE = "while [ -e /probe/hold ]; do sleep 0.1; done; grep -qx same /probe/answer";
  private static final Pattern SLIM_ID = Pattern.compile("slim image id (sha256:[0-9a-f]{64})");

  /** The second build's own work root, so that its containers and files are told apart. */
  private Path secondWorkRoot;
  private Path probesA;
  private Path probesB;

  @BeforeAll
  static void buildImage() throws Exception {
    // a label of its own makes an image id, and so a slim image id, that no other test shares
    TestImages.build(IMAGE, "FROM minify-sample/redis:1.0\nLABEL io.minify.it=same-image-builds\n");
  }

  @AfterAll
  static void removeImage() {
    TestImages.untag(IMAGE);
  }

  @BeforeEach
  void createDirectories() throws IOException {
    secondWorkRoot = Files.createTempDirectory("minify-it-");
    probesA = probeDirectory();
    probesB = probeDirectory();
  }

  @AfterEach
  void removeDirectories() throws IOException {
    TestImages.untag(SLIM);
    Files.deleteIfExists(secondWorkRoot);
    for (Path dir : List.of(probesA, probesB)) {
      Files.deleteIfExists(dir.resolve("hold"));
      Files.deleteIfExists(dir.resolve("answer"));
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void twoBuildsReleasedAtTheSameMomentBothSucceedAndLeaveOnlyTheSlimTag() throws Exception {
    // the very same command line twice, work root included, as two jobs of one pipeline run it
    try (MinifyProcess a = start(workRoot, probesA); MinifyProcess b = start(workRoot, probesA)) {
      assertTrue(a.awaitLine("until SIGUSR1"), a.output());
      assertTrue(b.awaitLine("until SIGUSR1"), b.output());
      List<String> runs = runIds(workRoot);
      assertEquals(2, runs.stream().distinct().count(), "two runs, each with an id of its own: " + runs);
      // from here on both load, tag, verify and untag the same image id at the same time
      a.signal("USR1");
      b.signal("USR1");
      assertEquals(0, a.awaitExit(120), a.output());
      assertEquals(0, b.awaitExit(120), b.output());
      assertEquals(List.of(), minifyLines(a), a.output());
      assertEquals(List.of(), minifyLines(b), b.output());
      assertEquals(slimId(a), slimId(b), "both builds made one image: the case that raced");
      assertEquals(List.of(SLIM), engine.images().inspectImage(SLIM).orElseThrow().repoTags(),
          "the slim tag only: no run tag is left on the image");
      runs.forEach(SameImageBuildsIT::assertNoRunTag);
    }
    assertRuns(SLIM);
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void aBuildThatFailsVerificationDoesNotTakeTheImageAnotherBuildIsVerifying() throws Exception {
    try (MinifyProcess a = start(workRoot, probesA); MinifyProcess b = start(secondWorkRoot, probesB)) {
      assertTrue(a.awaitLine("until SIGUSR1"), a.output());
      assertTrue(b.awaitLine("until SIGUSR1"), b.output());
      String runA = onlyRunId(workRoot);
      String runB = onlyRunId(secondWorkRoot);
      // A will wait in its verify run; B's slim image will answer differently from its original
      Files.writeString(probesA.resolve("hold"), "");
      Files.writeString(probesB.resolve("answer"), "changed\n");
      a.signal("USR1");
      assertTrue(a.awaitLine("[minify] package"), "A loaded the slim image and verifies it:\n" + a.output());
      b.signal("USR1");
      assertEquals(1, b.awaitExit(120), b.output());
      assertEquals(List.of("minify: error: verify: the slim image answered differently: EXEC " + PROBE
          + ": exit code 1 instead of 0"), minifyLines(b), b.output());
      assertNoRunTag(runB);
      assertTrue(engine.images().inspectImage(RUN_REPOSITORY + ":" + runA).isPresent(),
          "B's failure left A's hold on the image it still verifies");
      assertTrue(a.isAlive(), "A is still verifying:\n" + a.output());

      Files.delete(probesA.resolve("hold"));
      assertEquals(0, a.awaitExit(120), a.output());
      assertEquals(List.of(), minifyLines(a), a.output());
      assertEquals(List.of(SLIM), engine.images().inspectImage(SLIM).orElseThrow().repoTags(),
          "the slim tag only: no run tag is left on the image");
      assertNoRunTag(runA);
    }
    assertRuns(SLIM);
    Leftovers.assertNone(engine, workRoot);
    Leftovers.assertNone(engine, secondWorkRoot);
  }

  private static MinifyProcess start(Path workRoot, Path probes) throws IOException {
    return MinifyProcess.start("build", IMAGE, "--http-probe-off", "--exec", PROBE,
        "--mount", "type=bind,source=" + probes + ",target=/probe,readonly",
        "--continue-after", "signal", "--no-report", "--work-dir", workRoot.toString());
  }

  /** A directory the image's user (redis) can read, whose answer is the one the probe expects. */
  private static Path probeDirectory() throws IOException {
    Path dir = Files.createTempDirectory("minify-it-probe-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("answer"), "same\n", StandardCharsets.UTF_8);
    return dir;
  }

  /** The run ids of the builds whose work root is {@code root}, from their watched containers' labels. */
  private static List<String> runIds(Path root) throws Exception {
    List<String> containers = engine.containers().containersWithLabel(ContainerSpec.WORK_ROOT_LABEL + "="
        + root.toAbsolutePath().normalize());
    assertFalse(containers.isEmpty(), "no watched container in " + root);
    List<String> ids = new ArrayList<>();
    for (String container : containers) {
      String id = DockerCli.label(container, ContainerSpec.OWNER_LABEL);
      assertTrue(id.matches("[0-9a-f]{32}"), container + ": " + id);
      ids.add(id);
    }
    return ids;
  }

  private static String onlyRunId(Path root) throws Exception {
    List<String> ids = runIds(root);
    assertEquals(1, ids.size(), "one build in " + root + ": " + ids);
    return ids.get(0);
  }

  private static void assertNoRunTag(String runId) {
    assertFalse(engine.images().inspectImage(RUN_REPOSITORY + ":" + runId).isPresent(),
        "run " + runId + " left its tag");
  }

  private static String slimId(MinifyProcess build) {
    Matcher m = SLIM_ID.matcher(build.output());
    assertTrue(m.find(), build.output());
    return m.group(1);
  }

  /** What the build said as minify (errors, warnings), apart from its progress lines. */
  private static List<String> minifyLines(MinifyProcess build) {
    return build.output().lines().filter(l -> l.startsWith("minify: ")).toList();
  }

  /** The slim redis starts from the image alone (no mount) and gets ready to serve. */
  private static void assertRuns(String image) throws Exception {
    String id = DockerCli.run("run", "-d", "--pull", "never", image).strip();
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> DockerCli.run("logs", id).contains("Ready to accept connections"));
    } finally {
      DockerCli.run("rm", "-f", id);
    }
  }
}
