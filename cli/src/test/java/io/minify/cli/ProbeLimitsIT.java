package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An app that does not answer, told apart by what the prober saw: a route slower than
 * {@code --http-probe-request-timeout}, a page that streams without end, and an app that
 * listens on 127.0.0.1 inside its container, which no published port reaches. Each is one
 * line that says which (exit 1, as for a port that never answers), and leaves nothing behind.
 * One small Python app on the local base image; its environment picks the case.
 */
class ProbeLimitsIT extends RealEngineTest {

  private static final String IMAGE = "minify-it/probe-limits:1";
  private static final String SLIM = "minify-it/probe-limits.slim:1";

  /**
   * GET /slow takes 30 s; GET / streams an event every 50 ms with ROOT=stream; the server
   * listens on BIND (default every address). Threads, so a request left hanging by the prober
   * holds up no other.
   */
  private static final String APP = """
      import os, time
      from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

      class Handler(BaseHTTPRequestHandler):
          def do_GET(self):
              try:
                  if self.path == "/slow":
                      time.sleep(30)
                  if self.path == "/" and os.environ.get("ROOT") == "stream":
                      self.send_response(200)
                      self.send_header("Content-Type", "text/event-stream")
                      self.end_headers()
                      while True:
                          self.wfile.write(b"data: tick\\n\\n")
                          self.wfile.flush()
                          time.sleep(0.05)
                  body = b"<p>hello</p>"
                  self.send_response(200)
                  self.send_header("Content-Type", "text/html")
                  self.send_header("Content-Length", str(len(body)))
                  self.end_headers()
                  self.wfile.write(body)
              except (BrokenPipeError, ConnectionResetError):
                  pass  # the prober gave up on it

          def log_message(self, *args):
              pass

      ThreadingHTTPServer((os.environ.get("BIND", "0.0.0.0"), 8080), Handler).serve_forever()
      """;

  @BeforeAll
  static void buildImage() throws Exception {
    Path dir = Files.createTempDirectory("minify-it-limits");
    try {
      Files.writeString(dir.resolve("app.py"), APP);
      Files.writeString(dir.resolve("Dockerfile"), """
          FROM minify-base:python
          COPY app.py /app/app.py
          EXPOSE 8080
          CMD ["python3", "-u", "/app/app.py"]
          """);
      TestImages.buildDirectory(IMAGE, dir);
    } finally {
      Files.deleteIfExists(dir.resolve("app.py"));
      Files.deleteIfExists(dir.resolve("Dockerfile"));
      Files.deleteIfExists(dir);
    }
  }

  @AfterAll
  static void removeImage() {
    TestImages.untag(SLIM);
    TestImages.untag(IMAGE);
  }

  @Test
  void aRouteSlowerThanTheLimitSaysNoHeadersCameAndNamesTheOption() throws Exception {
    CliRun run = build("--http-probe-cmd", "GET:/slow", "--http-probe-request-timeout", "2",
        "--http-probe-retry-count", "0", "--no-http-probe-crawl");
    assertFailed(run, "minify: error: probe: probe GET :8080/slow got no complete answer from the original image:"
        + " no response headers within 2 s (a slow route? raise --http-probe-request-timeout)");
  }

  @Test
  void anEndlessStreamSaysItsStatusAndThatItWasStillStreaming() throws Exception {
    CliRun run = build("--env", "ROOT=stream", "--http-probe-request-timeout", "2", "--start-timeout", "3");
    String first = assertFailed(run, null);
    assertTrue(first.matches("minify: error: probe: port 8080 gave no complete answer to GET / in 3s: status 200 and"
        + " [1-9][0-9]* bytes of body, still streaming after 2 s"), run.toString());
  }

  @Test
  void anAppListeningOnLoopbackAloneIsToldSoWithoutWaitingOutTheStartTimeout() throws Exception {
    long start = System.nanoTime();
    CliRun run = build("--env", "BIND=127.0.0.1", "--start-timeout", "60");
    assertFailed(run, "minify: error: probe: port 8080 is listened on only at 127.0.0.1 inside the container, which"
        + " a published port cannot reach: make the app listen on 0.0.0.0");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "found while the app ran, not after 60 s: " + took);
  }

  /** Exit 1, {@code firstLine} (when given) first on stderr, no tag, nothing left; returns that line. */
  private String assertFailed(CliRun run, String firstLine) throws Exception {
    assertEquals(1, run.exitCode(), run.toString());
    String first = run.err().lines().findFirst().orElse("");
    if (firstLine != null) {
      assertEquals(firstLine, first, run.toString());
    }
    assertFalse(engine.images().inspectImage(SLIM).isPresent(), "a failed build leaves no tag");
    Leftovers.assertNone(engine, workRoot);
    return first;
  }

  private CliRun build(String... extra) {
    String[] base = {"build", IMAGE, "--tag", SLIM, "--no-report", "--quiet", "--work-dir", workRoot.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }
}
