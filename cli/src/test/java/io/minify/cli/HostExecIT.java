package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own test suite as the only probe ({@code --no-http-probe --host-exec}): a shell
 * script of curl checks against the python-flask sample, whose {@code /lazy} route imports
 * sqlite3 only when it is hit. With the interpreter's standard library not kept whole, the
 * sqlite3 module and its C extension are in the slim image only because the suite's request
 * made the app open them while it was watched: a suite that hits {@code /lazy} only when it
 * runs against the slim image fails there, and the build with it.
 */
class HostExecIT {

  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static final String TAG = "minify-hostexec-it/flask.slim:1";

  @TempDir
  Path tmp;
  private Path workRoot;
  private Path report;

  @BeforeEach
  void dirs() throws Exception {
    workRoot = Files.createDirectory(tmp.resolve("work"));
    report = tmp.resolve("report.json");
  }

  @AfterEach
  void nothingLeft() throws Exception {
    try (ContainerEngine engine = DockerJavaEngine.connect()) {
      Leftovers.assertNone(engine, workRoot);
    }
  }

  @AfterAll
  static void untag() {
    TestImages.untag(TAG);
  }

  /** An executable script in the test's directory. */
  private Path script(String name, String body) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private CliRun build(String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("build", IMAGE, "--tag", TAG, "--quiet", "--report",
        report.toString(), "--work-dir", workRoot.toString(), "--no-http-probe", "--no-keep-interpreter-stdlib"));
    args.addAll(List.of(options));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void aSuiteOfCurlChecksDrivesTheAppAndPassesAgainOnTheSlimImage() throws Exception {
    // the suite checks its environment too: the port variables must agree with the URL
    Path suite = script("suite.sh", """
        set -e
        [ "$MINIFY_TARGET_HOST" = 127.0.0.1 ] || { echo "MINIFY_TARGET_HOST=$MINIFY_TARGET_HOST"; exit 3; }
        [ "$MINIFY_TARGET_URL" = "http://127.0.0.1:$MINIFY_TARGET_PORT_8080" ] || { echo "URL $MINIFY_TARGET_URL"; exit 3; }
        curl -fsS "$MINIFY_TARGET_URL/health" | grep -q ok
        curl -fsS "$MINIFY_TARGET_URL/api/items/3" | grep -q cherry
        curl -fsS "$MINIFY_TARGET_URL/lazy" | grep -q sqlite
        echo "3 passed, 0 failed"
        """);
    Path list = tmp.resolve("suites.txt");
    Files.writeString(list, "# the API checks\n\n" + suite + "\n", StandardCharsets.UTF_8);
    CliRun run = build("--host-exec-file", list.toString(), "--host-exec", "curl -fsS \"$MINIFY_TARGET_URL/\"",
        "--continue-after", "host-exec");
    assertEquals(0, run.exitCode(), run.toString());

    JsonNode root = new ObjectMapper().readTree(report.toFile());
    JsonNode probes = root.get("probes");
    assertEquals(2, probes.size(), probes.toString());
    // the command line's first, then the file's
    assertEquals("HOST-EXEC curl -fsS \"$MINIFY_TARGET_URL/\"", probes.get(0).get("probe").asText());
    assertEquals("HOST-EXEC " + suite, probes.get(1).get("probe").asText());
    for (JsonNode p : probes) {
      assertEquals("host-exec", p.get("kind").asText(), p.toString());
      assertEquals("host-exec", p.get("source").asText(), p.toString());
      assertEquals(0, p.get("originalStatus").asInt(), p.toString());
      assertEquals(0, p.get("slimStatus").asInt(), p.toString());
      assertTrue(p.get("matches").asBoolean(), p.toString());
    }
    assertEquals("host-exec", root.at("/probing/continuedAfter").asText());
    assertEquals("[8080]", root.at("/probing/readyPorts").toString());
    JsonNode sqlite = kept(root, "/usr/lib/python3.11/lib-dynload/_sqlite3.cpython-311-x86_64-linux-gnu.so");
    assertEquals("observed", sqlite.get("reason").asText(), "the suite's request to /lazy opened it");

    try (SlimCheck slim = SlimCheck.run(TAG, 8080)) {
      assertEquals(200, slim.get("/health"));
      HttpResponse<String> lazy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + slim.hostPort + "/lazy")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, lazy.statusCode(), lazy.body());
      assertTrue(lazy.body().contains("sqlite"), lazy.body());
    }
  }

  @Test
  void aSuiteThatFailsOnlyOnTheSlimImageFailsTheBuildWithOneLineNamingBothExitCodes() throws Exception {
    // /lazy is checked only from the suite's second run on: the watched run never made the
    // app import sqlite3, so the slim image lacks it and answers 500 there
    Path marker = tmp.resolve("ran-before");
    Path suite = script("suite.sh", """
        curl -fsS "$MINIFY_TARGET_URL/health" >/dev/null || exit 2
        if [ -e '%s' ]; then
          body=$(curl -sS "$MINIFY_TARGET_URL/lazy")
          echo "$body" | grep -q sqlite || { echo "FAILED test_lazy"; exit 1; }
        fi
        touch '%s'
        echo passed
        """.formatted(marker, marker));
    TestImages.untag(TAG); // a tag of an earlier test's: a failed build leaves none of its own
    CliRun run = build("--host-exec", suite.toString());
    assertEquals(1, run.exitCode(), run.toString());
    String line = run.err().lines().filter(l -> l.startsWith("minify: ")).findFirst().orElseThrow();
    assertEquals("minify: error: verify: the slim image answered differently: HOST-EXEC " + suite + ": exit code 1"
        + " on the slim image, 0 on the original (the same on a rerun, so not a flaky test); its output ended:"
        + " FAILED test_lazy", line, run.toString());
    assertTrue(run.err().contains("ModuleNotFoundError: No module named 'sqlite3'"),
        "the slim container's log follows: " + run);
    assertEquals(List.of(), TestImages.tagsOf("minify-hostexec-it/flask.slim"), "no tag is left");
  }

  @Test
  void aCommandTheShellCannotFindIsBadInputNamingIt() throws Exception {
    CliRun run = build("--host-exec", "minify-hostexec-no-such-suite --all");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().strip().startsWith("minify: error: probe: --host-exec 'minify-hostexec-no-such-suite --all'"
        + " exited with 127 on the original image: the shell found no such command: "), run.toString());
    assertTrue(run.err().contains("not found"), run.toString());
  }

  private static JsonNode kept(JsonNode report, String path) {
    for (JsonNode k : report.get("kept")) {
      if (k.path("path").asText().equals(path)) {
        return k;
      }
    }
    throw new AssertionError(path + " is not kept: " + report.get("keptByReason"));
  }
}
