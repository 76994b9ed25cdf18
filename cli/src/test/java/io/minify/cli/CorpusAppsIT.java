package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real third-party apps of the corpus ({@code sample-apps/real}), minified with the flags a new
 * user gives (their {@code default.flags}) and checked with the app's own functional check: the
 * slim image must pass every assertion. For each keep unit rule, the app that needs it is built
 * once more with only that rule turned off, and its check must then fail: the rule is what makes
 * the slim image work, not something else. {@code scripts/corpus.sh} runs all the apps; the
 * suite runs these few (their images come from {@code scripts/corpus.sh build}, in test.sh).
 */
class CorpusAppsIT extends RealEngineTest {
  private final List<String> tags = new ArrayList<>();
  private Path report;

  @BeforeEach
  void reportFile() throws Exception {
    report = Files.createTempFile("minify-it-corpus", ".json");
  }

  @AfterEach
  void removeTags() throws Exception {
    tags.forEach(engine.images()::removeImage);
    Files.deleteIfExists(report);
  }

  @Test
  void postgresNeedsItsPackagesPluginsAndTheZoneCatalog() throws Exception {
    CorpusApp postgres = new CorpusApp("postgres");
    assertPasses(postgres);
    assertFailsWithout(postgres, "app-package"); // plpgsql, dict_snowball, pgcrypto
    assertFailsWithout(postgres, "data-catalogs"); // AT TIME ZONE 'America/New_York'
  }

  @Test
  void nginxNeedsTheDirectoryItCreatesTempDirsInAndKeepsItsLogsOnStdout() throws Exception {
    CorpusApp nginx = new CorpusApp("nginx");
    assertPasses(nginx);
    assertTrue(logsRequests(nginx, tags.get(tags.size() - 1)), "access.log -> /dev/stdout is kept");
    assertFailsWithout(nginx, "state-trees"); // mkdir() "/var/lib/nginx/body" failed
    CliRun withoutLinks = build(nginx, "no-special-files", "--no-keep-special-files");
    assertTrue(withoutLinks.exitCode() != 0 || !logsRequests(nginx, tags.get(tags.size() - 1)),
        "without the rule the log links are dropped: " + withoutLinks);
  }

  @Test
  void jsonServerNeedsWhatItsNodePackagesLoadLazily() throws Exception {
    CorpusApp jsonServer = new CorpusApp("json-server");
    assertPasses(jsonServer);
    assertFailsWithout(jsonServer, "code-units"); // Cannot find module '../encodings'
  }

  @Test
  void httpbinWithoutACrawlNeedsTheStandardLibraryModulesItImportsLazily() throws Exception {
    // GET / alone, as a user who turned the crawl off: werkzeug imports encodings.idna on the
    // first request that builds a URL, which GET / does not
    CorpusApp httpbin = new CorpusApp("httpbin");
    assertPasses(httpbin, "--no-http-probe-crawl");
    assertFailsWithout(httpbin, "interpreter-stdlib", "--no-http-probe-crawl"); // unknown encoding: idna
  }

  @Test
  void apacheNeedsWhatItsConfigurationNamesAndWhatItsCgiRuns() throws Exception {
    CorpusApp proxy = new CorpusApp("apache-proxy");
    assertPasses(proxy);
    assertFailsWithout(proxy, "config-references"); // DocumentRoot /srv/backend, only stat()ed
    assertFailsWithout(proxy, "script-programs"); // the CGI runs head for a request body
  }

  @Test
  void lighttpdNeedsItsSiteWhichAListingAloneCanKeep() throws Exception {
    CorpusApp lighttpd = new CorpusApp("lighttpd");
    assertPasses(lighttpd);
    assertFailsWithout(lighttpd, "app-content"); // files of /var/www/html nothing asked for
    // A user who probes the listing page only (no crawl, GET /pub/): the listing is what keeps
    // the files it names. With the rules that overlap it off (app content, and the document
    // root named in the configuration), the listed-directory rule alone keeps them.
    String[] listingOnly = {"--no-http-probe-crawl", "--http-probe-cmd", "GET:/pub/", "--no-keep-app-content",
        "--no-keep-config-references"};
    Map<String, Boolean> withListing = pubAssertions(lighttpd, "listing", listingOnly);
    assertEquals(Map.of("listing", true, "never-fetched", true), withListing,
        "the files /pub/ lists are kept although none was fetched");
    List<String> withoutRule = new ArrayList<>(List.of(listingOnly));
    withoutRule.add("--no-keep-listed-directories");
    CliRun run = build(lighttpd, "no-listing", withoutRule.toArray(String[]::new));
    if (run.exitCode() == 1) {
      // verification already sees the shorter listing, so nothing is tagged
      assertTrue(run.err().contains("minify: error: ") && run.err().contains("/pub/"), run.toString());
      return;
    }
    assertEquals(0, run.exitCode(), "lighttpd without listed-directories: " + run);
    assertEquals(Map.of("listing", false, "never-fetched", false), pubAssertions(lighttpd),
        "without the listed-directory rule the files nothing fetched are gone");
  }

  @Test
  void aDistrolessNodeAppNeedsItsCodeRootAndTheDependenciesItsManifestDeclares() throws Exception {
    // no shell, no /var/lib/dpkg/status (stanzas in status.d), node at /nodejs/bin/node
    CorpusApp node = new CorpusApp("node-distroless");
    assertPasses(node);
    assertFailsWithout(node, "app-content"); // views/404.ejs and thanks.ejs, rendered only for a 404 or a POST
    assertFailsWithout(node, "code-units"); // iconv-lite, required inside a route handler
  }

  @Test
  void aPerlAppNeedsTheModulesItsHandlersRequireAndTheTargetsOfItsFrameworksAssetLinks() throws Exception {
    // Mojolicious resolves the real path of each of its bundled assets at start, four of which
    // link into /usr/share/javascript; routes require Time::Piece and encode to iso-8859-15 and
    // shift_jis, which load Encode::Byte and Encode::JP by name
    CorpusApp mojo = new CorpusApp("mojo-perl");
    assertPasses(mojo);
    JsonNode built = new ObjectMapper().readTree(report.toFile());
    assertTrue(built.get("keptBytesByReason").path("link_target").asLong() > 0, built.get("keptBytesByReason")
        .toString());
    String stdlib = "";
    for (JsonNode unit : built.get("keepUnits")) {
      if (unit.get("unit").asText().equals("interpreter-stdlib")) {
        stdlib = unit.get("found").toString();
      }
    }
    assertTrue(stdlib.contains("modules required by kept code") && stdlib.contains("/Encode"), stdlib);
    assertFailsWithout(mojo, "interpreter-stdlib"); // Time::Piece, Encode::Byte: required only by a route
  }

  @Test
  void aServiceWithAProtocolPortBesideItsHttpPortIsProbedOnTheHttpOne() throws Exception {
    // go-embed exposes 8080 (HTTP) and 7070 (a line protocol that answers "ERR unknown command")
    CorpusApp go = new CorpusApp("go-embed");
    assertPasses(go);
    JsonNode probing = new ObjectMapper().readTree(report.toFile()).get("probing");
    assertTrue(probing.get("otherPorts").toString().contains("7070 (answered \\\"ERR unknown command"),
        probing.toString());
    // a port the user names for HTTP must answer HTTP
    CliRun named = build(go, "named-ports", "--http-probe-ports", "8080,7070");
    assertEquals(1, named.exitCode(), named.toString());
    assertTrue(named.err().contains("port 7070 never answered HTTP"), named.toString());
  }

  /**
   * Builds lighttpd with {@code flags} and reports what {@link #pubAssertions(CorpusApp)} found.
   */
  private Map<String, Boolean> pubAssertions(CorpusApp lighttpd, String variant, String... flags) throws Exception {
    CliRun run = build(lighttpd, variant, flags);
    assertEquals(0, run.exitCode(), "lighttpd " + variant + ": " + run);
    return pubAssertions(lighttpd);
  }

  /**
   * Whether the check of the last tagged lighttpd found every file of /pub/ in the listing, and
   * whether it could fetch /pub/archive.tar.xz, which no probe asked for.
   */
  private Map<String, Boolean> pubAssertions(CorpusApp lighttpd) throws Exception {
    CorpusApp.Check check = lighttpd.check(tags.get(tags.size() - 1));
    String listing = "the listing of /pub/ names every file";
    String neverFetched = "MIME types come from /etc/mime.types: .tar.xz";
    assertTrue(check.passed(listing) || check.failed(listing), check.toString());
    assertTrue(check.passed(neverFetched) || check.failed(neverFetched), check.toString());
    return Map.of("listing", check.passed(listing), "never-fetched", check.passed(neverFetched));
  }

  /** Whether a request to the slim app shows in its container log (nginx logs to /dev/stdout). */
  /**
   * A real app's own test suite as the only probe: json-server's functional check (reads and
   * writes of its REST API, a UTF-16 body that needs a lazily loaded decoder) runs on the host
   * with {@code --host-exec} while the app is watched, HTTP probing off, and again against the
   * slim image in verification, where it must exit 0 again. The slim image then passes the same
   * check on its own.
   */
  @Test
  void jsonServersOwnCheckAsTheOnlyProbeIsReplayedAgainstTheSlimImage() throws Exception {
    CorpusApp jsonServer = new CorpusApp("json-server");
    StringBuilder suite = new StringBuilder("'" + jsonServer.dir().resolve("check.sh") + "'");
    for (int port : jsonServer.ports()) {
      suite.append(" \"$MINIFY_TARGET_PORT_").append(port).append('"');
    }
    String tag = "minify-it/corpus-json-server-suite.slim:1";
    tags.add(tag);
    CliRun run = CliRun.of("build", jsonServer.image(), "--tag", tag, "--quiet", "--report", report.toString(),
        "--work-dir", workRoot.toString(), "--http-probe-off", "--host-exec", suite.toString());
    Leftovers.assertNone(engine, workRoot);
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode probes = new ObjectMapper().readTree(report.toFile()).get("probes");
    List<String> hostExecs = new ArrayList<>();
    for (JsonNode probe : probes) {
      assertEquals("host-exec", probe.get("kind").asText(), "the suite is the only probe: " + probes);
      assertEquals(0, probe.get("originalStatus").asInt(), probe.toString());
      assertEquals(0, probe.get("slimStatus").asInt(), "replayed against the slim image: " + probe);
      hostExecs.add(probe.get("probe").asText());
    }
    assertEquals(1, hostExecs.size(), probes.toString());
    CorpusApp.Check check = jsonServer.check(tag);
    assertTrue(check.allPassed(), "the slim image on its own: " + check);
  }

  /**
   * Two modes of one real app as two scenarios: django served by gunicorn, and one of its
   * management commands, a batch job that runs and exits 0 (its own scenario turns HTTP probing
   * off and waits for the exit). Each is watched and verified; the one slim image passes the
   * app's check and prints what the original prints for the command.
   */
  @Test
  void djangoAsAWebAppAndAManagementCommandIsOneSlimImageThatRunsBoth() throws Exception {
    CorpusApp django = new CorpusApp("django-local");
    Path scenarios = Files.createTempFile("minify-it-scenarios", ".json");
    try {
      Files.writeString(scenarios, """
          {"scenarios": [
            {"name": "web"},
            {"name": "dumpdata", "cmd": ["python3", "manage.py", "dumpdata", "shelf", "--indent", "2"],
             "httpProbe": false, "continueAfter": "timeout:60"}
          ]}""");
      CliRun run = build(django, "scenarios", "--scenarios", scenarios.toString());
      assertEquals(0, run.exitCode(), run.toString());
      String slim = tags.get(tags.size() - 1);
      CorpusApp.Check check = django.check(slim);
      assertTrue(check.allPassed(), "the web scenario's app: " + check);
      JsonNode r = new ObjectMapper().readTree(report.toFile());
      List<String> names = new ArrayList<>();
      for (JsonNode scenario : r.get("scenarios")) {
        names.add(scenario.get("name").asText());
        assertEquals(scenario.get("probes").size(), scenario.get("probesMatching").asInt(), scenario.toString());
        assertTrue(scenario.get("access").get("files").asInt() > 0, scenario.toString());
      }
      assertEquals(List.of("web", "dumpdata"), names);
      String[] command = {"python3", "manage.py", "dumpdata", "shelf", "--indent", "2"};
      assertEquals(dockerRun(django.image(), command), dockerRun(slim, command), "the command's output");
    } finally {
      Files.deleteIfExists(scenarios);
    }
  }

  private static String dockerRun(String image, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--rm", image));
    args.addAll(List.of(command));
    return DockerCli.run(args.toArray(String[]::new));
  }

  private static boolean logsRequests(CorpusApp app, String image) throws Exception {
    return app.containerLogAfterRequest(image, "/corpus-log-probe").contains("/corpus-log-probe");
  }

  private void assertPasses(CorpusApp app, String... extra) throws Exception {
    CliRun run = build(app, "all", extra);
    assertEquals(0, run.exitCode(), app.name() + " with every keep rule: " + run);
    CorpusApp.Check check = app.check(tags.get(tags.size() - 1));
    assertTrue(check.allPassed(), app.name() + " with every keep rule: " + check);
    JsonNode units = new ObjectMapper().readTree(report.toFile()).get("keepUnits");
    assertTrue(units != null && units.size() > 0, "the report lists the keep units: " + units);
  }

  /**
   * Without {@code rule} the slim image must not work: either verification already sees it
   * (exit 1, nothing tagged) or the image it tags fails the app's check.
   */
  private void assertFailsWithout(CorpusApp app, String rule, String... extra) throws Exception {
    List<String> flags = new ArrayList<>(List.of(extra));
    flags.add("--no-keep-" + rule);
    CliRun run = build(app, "no-" + rule, flags.toArray(String[]::new));
    if (run.exitCode() == 1) {
      assertTrue(run.err().contains("minify: error: "), run.toString());
      return;
    }
    assertEquals(0, run.exitCode(), app.name() + " without " + rule + ": " + run);
    CorpusApp.Check check = app.check(tags.get(tags.size() - 1));
    assertTrue(check.total() > 0 && check.passed() < check.total(),
        app.name() + " without " + rule + " should fail its check: " + check);
    JsonNode units = new ObjectMapper().readTree(report.toFile()).get("keepUnits");
    for (JsonNode unit : units) {
      assertTrue(!unit.get("unit").asText().equals(rule), rule + " is off: " + units);
    }
  }

  private CliRun build(CorpusApp app, String variant, String... extra) throws Exception {
    String tag = "minify-it/corpus-" + app.name() + "-" + variant + ".slim:1";
    tags.add(tag);
    List<String> args = new ArrayList<>(List.of("build", app.image(), "--tag", tag, "--quiet", "--report",
        report.toString(), "--work-dir", workRoot.toString()));
    args.addAll(app.defaultFlags());
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    Leftovers.assertNone(engine, workRoot);
    return run;
  }
}
