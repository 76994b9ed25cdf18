package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The python-flask sample's /lazy imports sqlite3 only when hit. Watched with GET / alone and
 * without the keep rule for imported standard library modules, the slim image passes
 * verification (only GET / is replayed) but /lazy fails when the slim image is run and hit
 * directly. The rule alone (reading the import inside the handler) makes /lazy work, and so
 * does every way of covering /lazy by a probe (the default crawl following the link on /, a
 * probe command, a probe file, the API spec), each alone: with the rule off, and with the
 * crawl off unless it is the way.
 */
class ProbeLazyRouteIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static final Path PROBES = Path.of("src", "test", "resources", "probes").toAbsolutePath();
  private Path report;
  private final List<String> tags = new ArrayList<>();

  @BeforeEach
  void dirs() throws Exception {
    report = Files.createTempFile("minify-it-probe", ".json");
  }

  @AfterEach
  void cleanUp() throws Exception {
    Files.deleteIfExists(report);
    tags.forEach(TestImages::untag);
  }

  @Test
  void defaultProbeOnlyPassesVerificationButLazyRouteFails() throws Exception {
    String tag = build("default", "--no-http-probe-crawl");
    try (SlimCheck slim = SlimCheck.run(tag, 8080)) {
      assertEquals(200, slim.get("/"));
      assertNotEquals(200, slim.get("/lazy"), "sqlite3 was never imported while watched: it cannot be in the slim image");
    }
  }

  @Test
  void importedStandardLibraryRuleCoversLazyRouteWithoutAProbe() throws Exception {
    String tag = buildWithRules("stdlib", "--no-http-probe-crawl");
    try (SlimCheck slim = SlimCheck.run(tag, 8080)) {
      assertEquals(200, slim.get("/"));
      assertEquals(200, slim.get("/lazy"), "the handler's 'import sqlite3' was read from app.py");
    }
    JsonNode kept = new ObjectMapper().readTree(report.toFile()).get("kept");
    assertTrue(kept.toString().contains("\"path\":\"/usr/lib/python3.11/sqlite3/__init__.py\",\"reason\":\"stdlib\""),
        "kept as an imported standard library module");
  }

  @Test
  void probeCommandCoversLazyRoute() throws Exception {
    String tag = build("cmd", "--no-http-probe-crawl", "--http-probe-cmd", "GET:/lazy");
    assertLazyWorks(tag);
    assertTrue(probeSources().contains("cmd"), probeSources().toString());
  }

  @Test
  void probeFileCoversLazyRoute() throws Exception {
    String tag = build("file", "--no-http-probe-crawl", "--http-probe-cmd-file",
        PROBES.resolve("lazy-probes.json").toString());
    assertLazyWorks(tag);
    JsonNode probes = new ObjectMapper().readTree(report.toFile()).get("probes");
    assertTrue(probes.toString().contains("\"POST :8080/echo\""), probes.toString());
  }

  @Test
  void theDefaultCrawlCoversLazyRoute() throws Exception {
    String tag = build("crawl");
    assertLazyWorks(tag);
    JsonNode root = new ObjectMapper().readTree(report.toFile());
    assertTrue(root.at("/probing/crawledPages").toString().contains("GET :8080/lazy"), root.get("probing").toString());
    assertTrue(probeSources().contains("crawl"), probeSources().toString());
  }

  @Test
  void apiSpecCoversLazyRoute() throws Exception {
    String tag = build("spec", "--http-probe-crawl=false", "--http-probe-apispec",
        PROBES.resolve("lazy-openapi.yaml").toString());
    assertLazyWorks(tag);
    JsonNode probes = new ObjectMapper().readTree(report.toFile()).get("probes");
    assertTrue(probes.toString().contains("GET :8080/api/items/2"), probes.toString());
  }

  @Test
  void apiSpecServedByTheAppCoversLazyRoute() throws Exception {
    String tag = build("served-spec", "--no-http-probe-crawl", "--http-probe-apispec", "/openapi.json");
    assertLazyWorks(tag);
    JsonNode probes = new ObjectMapper().readTree(report.toFile()).get("probes");
    assertTrue(probes.toString().contains("GET :8080/api/items/2"), probes.toString());
    assertTrue(probeSources().contains("apispec"), probeSources().toString());
  }

  private void assertLazyWorks(String tag) throws Exception {
    try (SlimCheck slim = SlimCheck.run(tag, 8080)) {
      assertEquals(200, slim.get("/"));
      assertEquals(200, slim.get("/lazy"));
    }
    JsonNode probes = new ObjectMapper().readTree(report.toFile()).get("probes");
    assertTrue(probes.toString().contains("\"GET :8080/lazy\""), "the replayed probes include /lazy: " + probes);
  }

  private List<String> probeSources() throws Exception {
    List<String> out = new ArrayList<>();
    new ObjectMapper().readTree(report.toFile()).get("probes").forEach(p -> out.add(p.get("source").asText()));
    return out;
  }

  /** A build with the import rule off: what the probes reach is what is kept. */
  private String build(String variant, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(extra));
    args.add("--no-keep-interpreter-stdlib");
    return buildWithRules(variant, args.toArray(String[]::new));
  }

  private String buildWithRules(String variant, String... extra) throws Exception {
    String tag = "minify-it/flask-" + variant + ".slim:1";
    tags.add(tag);
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", tag, "--quiet", "--report",
        report.toString(), "--work-dir", workRoot.toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    Leftovers.assertNone(engine, workRoot);
    return tag;
  }
}
