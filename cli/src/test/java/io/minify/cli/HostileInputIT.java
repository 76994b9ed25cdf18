package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerSpec;
import io.minify.tar.TarHeader;
import io.minify.tar.TarWriter;
import io.minify.tar.Xattrs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second round of hostile and unlucky input (issue 16) on a real engine, each case with
 * its exit code, its line and nothing left behind. The cases that need no engine are in
 * {@link HostileInputOptionsTest}, {@link ExitCodesTest} and the core's unit tests; a probe
 * request's limits are {@link ProbeLimitsIT}'s, a killed build's leftovers {@link LeftoverReapIT}'s.
 */
class HostileInputIT extends RealEngineTest {

  /** An HTTP app that takes 4 s to stop on SIGTERM: a signal lands in the stop stage. */
  private static final String SLOW_STOP = "minify-it/slow-stop:1";
  /**
   * The python sample with a path of 3,900 bytes that the app never opens (issue 16, case 5):
   * about as long as an engine takes in a build; Docker 28's containerd store cannot lstat a
   * 4,075-byte one under its snapshot directory, and refuses the ADD.
   */
  private static final String LONG_PATH = "minify-it/long-path:1";
  private static final int DEPTH = 19;
  private static final int LAST_NAME = 85;

  @BeforeAll
  static void buildImages() throws Exception {
    TestImages.build(SLOW_STOP, "FROM minify-base:python\n"
        + "RUN mkdir -p /srv && echo '<html><body>slow to stop</body></html>' > /srv/index.html\n"
        + "WORKDIR /srv\nEXPOSE 8080\n"
        + "CMD [\"sh\", \"-c\", \"trap 'sleep 4; exit 0' TERM; python3 -m http.server 8080 & wait\"]\n");
    Path dir = Files.createTempDirectory("minify-it-long");
    try {
      try (OutputStream out = Files.newOutputStream(dir.resolve("deep.tar"))) {
        writeDeepTree(out);
      }
      Files.writeString(dir.resolve("Dockerfile"), "FROM minify-sample/python-flask:1.0\nADD deep.tar /\n");
      TestImages.buildDirectory(LONG_PATH, dir);
    } finally {
      for (String f : List.of("deep.tar", "Dockerfile")) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.deleteIfExists(dir);
    }
  }

  @AfterAll
  static void removeImages() {
    TestImages.untag(SLOW_STOP);
    TestImages.untag(LONG_PATH);
  }

  /**
   * Cases 3 and 10: SIGTERM while the app is being stopped. Before: exit 143 but no report,
   * and the last line had no newline. Now the report says terminated/143 after the cleanup,
   * the line is whole, and the work dir went where TMPDIR said.
   */
  @Test
  void sigtermWhileTheAppStopsIsExit143WithItsReportAndOneWholeLine() throws Exception {
    Path tmpdir = Files.createTempDirectory("minify-it-tmpdir");
    Path report = Files.createTempFile("minify-it-term", ".json");
    String tag = "minify-it/term-stop.slim:1";
    try {
      try (MinifyProcess build = MinifyProcess.startWith(Map.of("TMPDIR", tmpdir.toString()), "build", SLOW_STOP,
          "--tag", tag, "--report", report.toString(), "--no-http-probe-crawl")) {
        assertTrue(build.awaitLine("[minify] probe"), build.output());
        assertFalse(engine.containers().containersWithLabel(ContainerSpec.WORK_ROOT_LABEL + "="
            + tmpdir.toAbsolutePath().normalize()).isEmpty(), "the work root is TMPDIR (case 10)");
        build.signal("TERM");
        assertEquals(143, build.awaitExit(60), build.output());
        assertTrue(build.output().endsWith(
            "minify: interrupted during stop by SIGTERM; what the build made is removed\n"), build.output());
      }
      JsonNode r = new ObjectMapper().readTree(report.toFile());
      assertEquals("terminated", r.get("kind").asText(), r.toString());
      assertEquals(143, r.get("exitCode").asInt(), r.toString());
      assertEquals("stop", r.get("stage").asText(), r.toString());
      assertTrue(r.get("cleaned").toString().contains("original container"), r.toString());
      assertEquals("[]", r.get("cleanupFailed").toString(), r.toString());
      assertFalse(engine.images().inspectImage(tag).isPresent());
      Leftovers.assertNone(engine, tmpdir);
    } finally {
      Files.deleteIfExists(report);
      Files.deleteIfExists(tmpdir);
    }
  }

  /**
   * Case 4: SIGTERM while the slim image is verified. Before: the cleanup ran through an
   * engine client already shut down, and the report's cleanupFailed said [] while stderr said
   * it failed. Now the build's thread waits for the abort's cleanup before it reports and
   * closes the client.
   */
  @Test
  void sigtermDuringVerifyCleansUpThroughALiveClient() throws Exception {
    Path report = Files.createTempFile("minify-it-term", ".json");
    String tag = "minify-it/term-verify.slim:1";
    try {
      try (MinifyProcess build = MinifyProcess.start("build", SLOW_STOP, "--tag", tag, "--report",
          report.toString(), "--work-dir", workRoot.toString(), "--no-http-probe-crawl")) {
        assertTrue(build.awaitLine("[minify] package"), build.output());
        build.signal("TERM");
        assertEquals(143, build.awaitExit(60), build.output());
        assertFalse(build.output().contains("cleanup failed"), build.output());
        assertFalse(build.output().contains("shut down"), build.output());
      }
      JsonNode r = new ObjectMapper().readTree(report.toFile());
      assertEquals(143, r.get("exitCode").asInt(), r.toString());
      assertEquals("[]", r.get("cleanupFailed").toString(), r.toString());
      assertFalse(engine.images().inspectImage(tag).isPresent(), "no tag");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      Files.deleteIfExists(report);
    }
  }

  /**
   * Case 5: an image with a path of 3,900 bytes is a valid image. Before: the stop stage
   * failed with exit 3 where the engine's docker diff could not lstat it. Now the build
   * passes; where the engine cannot list the run's changes it goes on with what the monitor
   * saw and says so (PipelineTest covers the engine's refusal, which these engines do not make).
   */
  @Test
  void aPathOfThirtyNineHundredBytesIsNoFaultOfTheHost() throws Exception {
    String tag = "minify-it/long-path.slim:1";
    try {
      CliRun run = CliRun.of("build", LONG_PATH, "--tag", tag, "--no-report", "--work-dir", workRoot.toString());
      assertEquals(0, run.exitCode(), run.toString());
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(tag);
    }
  }

  /**
   * Case 11: a new user's first try on a non-HTTP image, no flags. Before: 60 s, then "port
   * 6379 never answered HTTP ... (server not ready?)", exit 1. Now: seconds, exit 2, the line
   * says it speaks something else and names the flags that fit.
   */
  @Test
  void aNonHttpImageWithNoFlagsFailsInSecondsNamingTheFlagsThatFit() throws Exception {
    CliRun run = CliRun.of("build", "minify-sample/redis:1.0", "--tag", "minify-it/redis-noflags.slim:1",
        "--no-report", "--work-dir", workRoot.toString());
    assertEquals(2, run.exitCode(), run.toString());
    // found by what the port answered, not by waiting the start timeout out
    assertTrue(run.err().contains("\nminify: error: probe: no exposed port speaks HTTP: 6379 (accepts connections"
        + " and closes them on an HTTP request); drive the app with --http-probe-off and --tcp-probe"
        + " PORT[:SEND[:EXPECT]], --exec CMD or --host-exec CMD, or watch it with --http-probe-off --continue-after"
        + " timeout:SECONDS"),
        run.err());
    assertFalse(engine.images().inspectImage("minify-it/redis-noflags.slim:1").isPresent());
    Leftovers.assertNone(engine, workRoot);
  }

  /** /deep/d00xxx.../d18xxx.../eee.../file.txt: 19 names of 199 bytes and one of 85, 3,900 bytes in all. */
  private static void writeDeepTree(OutputStream out) throws IOException {
    TarWriter writer = new TarWriter(out);
    StringBuilder path = new StringBuilder("deep");
    put(writer, path + "/", TarHeader.DIRECTORY, 0755, new byte[0]);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < DEPTH; i++) {
      names.add(String.format("d%02d", i) + "x".repeat(196));
    }
    names.add("e".repeat(LAST_NAME));
    for (String name : names) {
      path.append('/').append(name);
      put(writer, path + "/", TarHeader.DIRECTORY, 0755, new byte[0]);
    }
    put(writer, path + "/file.txt", TarHeader.REGULAR, 0644, "deep\n".getBytes(StandardCharsets.UTF_8));
    writer.finish();
  }

  private static void put(TarWriter writer, String name, byte type, int mode, byte[] content) throws IOException {
    writer.putEntry(new TarWriter.Member(name.getBytes(StandardCharsets.UTF_8), type, mode, 0, 0, content.length,
        1_700_000_000L, new byte[0], 0, 0, Xattrs.NONE));
    writer.write(content, 0, content.length);
    writer.closeEntry(content.length);
  }
}
