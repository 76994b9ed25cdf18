package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when a build cannot work: one line that says why, the container's last
 * log lines where there was a container, a meaningful exit code, and nothing left behind.
 */
class ErrorPathsIT extends RealEngineTest {


  @BeforeAll
  static void setUp() throws Exception {
    // an app that dies at once, and one that never listens; both on the local base image
    TestImages.build("minify-it/exits:1", """
        FROM minify-base:bookworm
        EXPOSE 8080
        CMD ["sh", "-c", "echo starting; echo 'fatal: /etc/app.conf missing' >&2; exit 3"]
        """);
    TestImages.build("minify-it/silent:1", """
        FROM minify-base:bookworm
        EXPOSE 8080
        CMD ["sleep", "600"]
        """);
  }

  @AfterAll
  static void tearDown() {
    for (String image : List.of("minify-it/exits:1", "minify-it/silent:1")) {
      TestImages.untag(image);
    }
  }

  @Test
  void imageThatDoesNotExist() throws Exception {
    CliRun run = build("minify-it/no-such-image:404");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("image 'minify-it/no-such-image:404' is not in the local engine"), run.toString());
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void appThatExitsAtOnce() throws Exception {
    CliRun run = build("minify-it/exits:1");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("minify: error: probe: the app exited with code 3"), run.toString());
    assertTrue(run.err().contains("| fatal: /etc/app.conf missing"), "the container's log is shown: " + run);
    assertNoSlimTag("minify-it/exits.slim:1");
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void portThatNeverOpens() throws Exception {
    CliRun run = build("minify-it/silent:1", "--start-timeout", "4");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("minify: error: probe: port 8080 never answered HTTP within 4s"), run.toString());
    assertNoSlimTag("minify-it/silent.slim:1");
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void slimImageThatAnswersDifferentlyFailsTheBuild() throws Exception {
    // /lazy imports sqlite3; excluding its C extension makes the slim image answer 500
    CliRun run = build("minify-sample/python-flask:1.0", "--tag", "minify-it/mismatch.slim:1",
        "--http-probe-cmd", "GET:/lazy",
        "--exclude-pattern", "/usr/lib/python3.11/lib-dynload/_sqlite3*");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("minify: error: verify: the slim image answered differently: GET :8080/lazy: status 500"
        + " instead of 200"), run.toString());
    assertNoSlimTag("minify-it/mismatch.slim:1");
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void notRunningAsRoot() throws Exception {
    Path built = Path.of("target", "minify.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(built), "the cli jar is built in the package phase: " + built);
    // the checkout may sit below a directory only root can enter: give the other user a copy
    Path shared = Files.createTempDirectory("minify-it-jar");
    Path jar = Files.copy(built, shared.resolve("minify.jar"));
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
      // without CAP_SYS_ADMIN the monitor cannot run on this host; asked to, the build says so
      ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          // no --work-dir: the test's own is root's, and that user may not write there (refused, exit 2)
          "java", "-jar", jar.toString(), "build", "minify-it/exits:1", "--no-report").redirectErrorStream(true);
      builder.environment().put("MINIFY_SENSOR", "host");
      Process p = builder.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(3, p.exitValue(), output);
      assertEquals("minify: error: minify build with MINIFY_SENSOR=host needs root or CAP_SYS_ADMIN: the file monitor"
          + " (fanotify) watches the container from this host", output.strip());
      Leftovers.assertNone(engine, workRoot);
    } finally {
      Files.deleteIfExists(jar);
      Files.deleteIfExists(shared);
    }
  }

  @Test
  void badTagIsRejectedBeforeAnythingStarts() throws Exception {
    CliRun run = CliRun.of("build", "minify-it/exits:1", "--tag", "Bad:Tag", "--work-dir", workRoot.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: --tag: 'Bad' is not a valid image repository name (lower-case letters, digits,"
        + " '.', '_', '-', '/') (see 'minify build --help')", run.err().strip(), run.toString());
    Leftovers.assertNone(engine, workRoot);
  }

  private CliRun build(String image, String... extra) {
    String[] args = new String[6 + extra.length];
    String[] base = {"build", image, "--no-report", "--quiet", "--work-dir", workRoot.toString()};
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  private static void assertNoSlimTag(String tag) {
    assertFalse(engine.images().inspectImage(tag).isPresent(), "a failed build must not leave " + tag);
  }

}
