package io.minify.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Python image with two modes, for the tests of runs that one image makes in several
 * ways (ScenariosIT, MergeIT): {@code web} serves a page read from {@code /srv/web/};
 * {@code worker} reads a CSV of jobs from {@code /srv/jobs/} with modules the web mode never
 * imports, and answers HTTP with what it computed. Built FROM the local Python base.
 */
final class TwoModeImage {

  /** The mode is the first argument; ONCE=1 makes the worker print its answer and exit. */
  private static final String APP = """
      import json, os, sys
      from http.server import HTTPServer, BaseHTTPRequestHandler

      mode = sys.argv[1]
      if mode == "web":
          import html
          with open("/srv/web/page.html") as f:
              body = ("<h1>" + html.escape(f.read().strip()) + "</h1>").encode()
          kind = "text/html"
      elif mode == "worker":
          import csv, statistics
          with open("/srv/jobs/jobs.csv", newline="") as f:
              rows = list(csv.DictReader(f))
          body = json.dumps({"jobs": len(rows), "mean": statistics.mean(float(r["seconds"]) for r in rows)}).encode()
          kind = "application/json"
          if os.environ.get("ONCE"):
              print(body.decode())
              sys.exit(0)
      else:
          sys.exit("unknown mode " + mode)

      class Handler(BaseHTTPRequestHandler):
          def do_GET(self):
              self.send_response(200 if self.path == "/" else 404)
              self.send_header("Content-Type", kind)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def log_message(self, *args):
              pass

      HTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
      """;

  private TwoModeImage() {}

  /** Builds it as {@code tag}; its CMD runs the web mode. */
  static void build(String tag) throws Exception {
    Path dir = Files.createTempDirectory("minify-it-modes");
    List<Path> files = new ArrayList<>();
    try {
      files.add(Files.writeString(dir.resolve("app.py"), APP));
      files.add(Files.writeString(dir.resolve("page.html"), "hello & welcome\n"));
      files.add(Files.writeString(dir.resolve("jobs.csv"), "name,seconds\nresize,2\nencode,4\n"));
      files.add(Files.writeString(dir.resolve("Dockerfile"), """
          FROM minify-base:python
          COPY app.py /app/app.py
          COPY page.html /srv/web/page.html
          COPY jobs.csv /srv/jobs/jobs.csv
          EXPOSE 8080
          CMD ["python3", "-u", "/app/app.py", "web"]
          """));
      TestImages.buildDirectory(tag, dir);
    } finally {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    }
  }
}
