package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --http-probe} crawls by default: a static site whose assets are reachable only
 * through a stylesheet's url() and @import, srcset, a style block, a style attribute and
 * link preload/icon/manifest. The server reads each file per request, so with the keep rules
 * that keep whole directories of app content off, an asset is in the slim image exactly when
 * the crawl asked for it; the crawl never follows the logout link and never leaves the origin.
 */
class CrawlAssetsIT extends RealEngineTest {

  private static final String IMAGE = "minify-it/crawl-site:1";
  private static final Path CONTEXT = Path.of("src", "test", "resources", "crawl-site").toAbsolutePath();
  /** Every asset the page reaches only through CSS, srcset or a link relation. */
  private static final List<String> ASSETS = List.of("/assets/crawl.css", "/assets/more.css", "/assets/bg.svg",
      "/deep/d.svg", "/assets/font.txt", "/assets/icon.svg", "/assets/app.json", "/assets/hero.svg",
      "/assets/inline.svg", "/assets/small.svg", "/assets/medium.svg", "/assets/large.svg", "/assets/wide.svg");
  private final List<String> tags = new ArrayList<>();
  private Path report;

  @BeforeAll
  static void buildSite() throws Exception {
    TestImages.buildDirectory(IMAGE, CONTEXT);
  }

  @AfterAll
  static void removeSite() {
    TestImages.untag(IMAGE);
  }

  @BeforeEach
  void reportFile() throws Exception {
    report = Files.createTempFile("minify-it-crawl", ".json");
  }

  @AfterEach
  void cleanUp() throws Exception {
    Files.deleteIfExists(report);
    tags.forEach(TestImages::untag);
  }

  @Test
  void theDefaultCrawlKeepsEveryAssetCssSrcsetAndPreloadsReach() throws Exception {
    String tag = build("default");
    JsonNode root = new ObjectMapper().readTree(report.toFile());
    String crawled = root.at("/probing/crawledPages").toString();
    for (String asset : ASSETS) {
      assertTrue(crawled.contains("\"GET :8080" + asset + "\""), asset + " was crawled: " + crawled);
    }
    assertEquals("[\"GET :8080/logout\"]", root.at("/probing/crawlSkipped").toString(), "the logout link is reported");
    assertFalse(crawled.contains("logout"), "and never requested: " + crawled);
    assertFalse(crawled.contains("example.com"), crawled);
    List<String> sources = new ArrayList<>();
    root.get("probes").forEach(p -> sources.add(p.get("source").asText() + " " + p.get("probe").asText()));
    assertTrue(sources.contains("crawl GET :8080/deep/d.svg"), "crawled requests are replayed in verification: "
        + sources);

    try (SlimCheck slim = SlimCheck.run(tag, 8080)) {
      for (String asset : ASSETS) {
        assertEquals(200, slim.get(asset), asset + " in the slim image");
      }
      assertEquals(404, slim.get("/assets/unlinked.svg"), "what no page reaches is not kept");
    }
  }

  @Test
  void withoutTheCrawlOnlyThePageItselfIsKept() throws Exception {
    String tag = build("no-crawl", "--no-http-probe-crawl");
    JsonNode root = new ObjectMapper().readTree(report.toFile());
    assertEquals("[]", root.at("/probing/crawledPages").toString());
    try (SlimCheck slim = SlimCheck.run(tag, 8080)) {
      assertEquals(200, slim.get("/"));
      assertEquals(404, slim.get("/assets/hero.svg"), "only the crawl reaches the style block's url()");
    }
  }

  private String build(String variant, String... extra) throws Exception {
    String tag = "minify-it/crawl-site-" + variant + ".slim:1";
    tags.add(tag);
    // the site's files belong to no OS package: these rules would keep /site whole, crawled or not
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", tag, "--quiet", "--report",
        report.toString(), "--work-dir", workRoot.toString(), "--no-keep-app-content",
        "--no-keep-listed-directories"));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    Leftovers.assertNone(engine, workRoot);
    return tag;
  }
}
