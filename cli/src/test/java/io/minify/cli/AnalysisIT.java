package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.analysis.ImageOpener;
import io.minify.analysis.ImageSource;
import io.minify.analysis.OpenedImage;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.packages.InstalledPackage;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code xray} and {@code diff} of a Debian-based sample image and its slim image, on the
 * real engine, and the trimmed package database checked against the slim layer itself (no
 * scanner is packaged in Debian 12): one build, shared by the tests.
 */
class AnalysisIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static final String TAG = "minify-it/xray-flask:1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path outDir;
  private static Path slimTar;
  private static Path report;
  /** xray of the original and diff of original vs slim: each read of the original is a docker save. */
  private static JsonNode originalXray;
  private static JsonNode originalVsSlim;

  @BeforeAll
  static void buildSlimImage() throws Exception {
    outDir = Files.createTempDirectory("minify-it-xray");
    slimTar = outDir.resolve("slim.tar");
    report = outDir.resolve("report.json");
    Path work = Files.createDirectories(outDir.resolve("work"));
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", TAG, "--quiet", "--work-dir",
        work.toString(), "--report", report.toString(), "--output-tar", slimTar.toString(), "--output-oci",
        outDir.resolve("oci").toString(), "--sbom", outDir.resolve("sbom.json").toString(), "--html",
        outDir.resolve("build.html").toString()));
    SampleRoutes.of("python-flask").routes().forEach(r -> args.addAll(List.of("--http-probe-cmd", r.probeCommand())));
    CliRun build = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, build.exitCode(), build.toString());
    originalXray = analysed(work, "xray", "--html", outDir.resolve("xray.html").toString(), IMAGE);
    originalVsSlim = analysed(work, "diff", "--html", outDir.resolve("diff.html").toString(), "--report",
        report.toString(), IMAGE, slimTar.toString());
  }

  @AfterAll
  static void removeSlimImage() throws IOException {
    TestImages.untag(TAG);
    try (Stream<Path> walk = Files.walk(outDir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private JsonNode json(String... args) throws IOException {
    return analysed(workRoot, args);
  }

  /** Runs an analysis command with --json; it must succeed and leave nothing in {@code work}. */
  private static JsonNode analysed(Path work, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(1, List.of("--json", "--work-dir", work.toString()));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(List.of(), left.toList(), "nothing left in the work dir");
    }
    return JSON.readTree(run.out());
  }

  @Test
  void xrayTotalsAreWhatDockerSaveHoldsByteForByte() throws Exception {
    JsonNode xray = originalXray;
    Saved saved = saved(IMAGE);
    assertEquals(saved.layerBytes(), xray.path("totals").path("layerBytes").asLong());
    long perLayer = 0;
    for (JsonNode layer : xray.path("layers")) {
      perLayer += layer.path("bytes").asLong();
    }
    assertEquals(xray.path("totals").path("layerBytes").asLong(), perLayer);
    // the content id, the config's digest: the engine's own id is that only on the classic image store
    // (the containerd store names an image by its manifest's digest)
    assertEquals(saved.configId(), xray.path("imageId").asText());
    long kinds = 0;
    for (JsonNode kind : xray.path("byKind")) {
      kinds += kind.path("bytes").asLong();
    }
    assertEquals(xray.path("totals").path("contentBytes").asLong(), kinds, "every byte has one kind");

    // the same image read from the artifacts a build writes gives the same merged figures
    JsonNode fromTar = json("xray", slimTar.toString());
    JsonNode fromOci = json("xray", "oci:" + outDir.resolve("oci"));
    JsonNode fromEngine = json("xray", TAG);
    assertEquals(fromEngine.path("totals"), fromTar.path("totals"));
    assertEquals(fromEngine.path("totals"), fromOci.path("totals"));
    assertEquals(1.0, fromTar.path("efficiency").path("score").asDouble(), "one layer wastes nothing");
  }

  @Test
  void packagesAreWhatDpkgInTheImageSays() throws Exception {
    JsonNode packages = originalXray.path("packages");
    assertEquals("dpkg", packages.path("manager").asText());
    Map<String, String> fromXray = new TreeMap<>();
    for (JsonNode p : packages.path("list")) {
      fromXray.put(p.path("name").asText(), p.path("version").asText() + " " + p.path("installedBytes").asLong() / 1024);
    }
    assertEquals(dpkgQuery(IMAGE), fromXray);
  }

  @Test
  void diffOfOriginalAndSlimAddsUpAndSaysWhyEachFileWasKept() throws Exception {
    JsonNode diff = originalVsSlim;
    JsonNode a = diff.path("a");
    JsonNode b = diff.path("b");
    assertEquals(a.path("contentBytes").asLong(),
        diff.path("kept").path("bytesInA").asLong() + diff.path("dropped").path("bytes").asLong());
    assertEquals(b.path("contentBytes").asLong(),
        diff.path("kept").path("bytesInB").asLong() + diff.path("added").path("bytes").asLong());
    assertEquals(0, diff.path("added").path("entries").asLong(), "a slim image only keeps");
    assertTrue(diff.path("ratio").asDouble() > 2, diff.path("ratio").toString());
    for (JsonNode kept : diff.path("biggestKept")) {
      assertFalse(kept.path("reason").asText().startsWith("("), kept + " has a reason from the report");
    }
    long byReason = 0;
    for (JsonNode r : diff.path("keptByReason")) {
      byReason += r.path("bytes").asLong();
    }
    assertEquals(b.path("contentBytes").asLong(), byReason);

    // a gate it cannot pass: an image compared with itself has ratio 1
    CliRun gated = CliRun.of("diff", "--fail-if-ratio-below", "1.5", slimTar.toString(), slimTar.toString());
    assertEquals(4, gated.exitCode(), gated.toString());
    assertTrue(gated.err().strip().startsWith("minify: gate failed: ratio "), gated.err());
  }

  @Test
  void theSlimImageCarriesTheDatabaseOfExactlyWhatItShips() throws Exception {
    JsonNode diff = originalVsSlim;
    TreeSet<String> shipped = new TreeSet<>();
    for (JsonNode p : diff.path("packages").path("list")) {
      if (!p.path("state").asText().equals("dropped")) {
        shipped.add(p.path("name").asText());
      }
    }
    assertFalse(shipped.isEmpty());
    assertTrue(diff.path("packages").path("dropped").asInt() > 0, "the slim image drops packages");
    try (ImageOpener opener = new ImageOpener(DockerJavaEngine::connect, workRoot);
        OpenedImage slim = opener.open(ImageSource.parse(slimTar.toString()))) {
      PackageDatabase db = PackageDatabase.read(slim.filesystem()).orElseThrow();
      TreeSet<String> listed = new TreeSet<>();
      for (InstalledPackage pkg : db.packages()) {
        listed.add(pkg.name());
        boolean shipsAFile = false;
        for (UnixPath file : db.filesOf(pkg)) {
          assertTrue(file.isRoot() || slim.filesystem().entry(file).isPresent(),
              pkg.name() + " lists " + file + ", which the slim layer does not hold");
          shipsAFile |= PackageDatabase.isPackagedFile(slim.filesystem(), file);
        }
        assertTrue(shipsAFile, pkg.name() + " is listed but has no file in the slim image");
      }
      assertEquals(shipped, listed, "the trimmed database lists exactly the packages with kept files");
    }

    // the build's SBOM names exactly those packages, and validates against the CycloneDX schema
    byte[] sbom = Files.readAllBytes(outDir.resolve("sbom.json"));
    assertEquals(List.of(), new org.cyclonedx.parsers.JsonParser().validate(sbom,
        io.minify.analysis.CycloneDxSbom.SPEC));
    TreeSet<String> inSbom = new TreeSet<>();
    for (JsonNode component : JSON.readTree(sbom).path("components")) {
      if (component.path("type").asText().equals("library")) {
        inSbom.add(component.path("name").asText());
        assertTrue(component.path("purl").asText().startsWith("pkg:deb/debian/"), component.toString());
      }
    }
    assertEquals(shipped, inSbom);
    assertEquals(TAG, JSON.readTree(sbom).path("metadata").path("component").path("name").asText());
  }

  @Test
  void withoutThePackageDbTheSlimLayerHasNone() throws Exception {
    Path noDb = outDir.resolve("no-db.tar");
    Path work = Files.createDirectories(outDir.resolve("work-no-db"));
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--keep-package-db=false", "--no-load", "--quiet",
        "--no-report", "--work-dir", work.toString(), "--output-tar", noDb.toString(), "--tag", TAG + "-no-db"));
    SampleRoutes.of("python-flask").routes().forEach(r -> args.addAll(List.of("--http-probe-cmd", r.probeCommand())));
    CliRun build = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, build.exitCode(), build.toString());
    JsonNode withDb = json("xray", slimTar.toString());
    JsonNode withoutDb = json("xray", noDb.toString());
    assertEquals("", withoutDb.path("packages").path("manager").asText(), "no status, no lists");
    assertTrue(withDb.path("totals").path("layerBytes").asLong() > withoutDb.path("totals").path("layerBytes").asLong());
  }

  @Test
  void theHtmlReportsRenderInAHeadlessBrowser() throws Exception {
    Path xrayPage = outDir.resolve("xray.html");
    Path diffPage = outDir.resolve("diff.html");
    Map<Path, List<String>> tables = Map.of(
        outDir.resolve("build.html"), List.of("directories", "packages", "biggest-kept", "probes", "stages"),
        xrayPage, List.of("layers", "kinds", "largest-files", "packages"),
        diffPage, List.of("directories", "packages", "biggest-kept", "dropped-trees"));
    for (Map.Entry<Path, List<String>> page : new TreeMap<>(tables).entrySet()) {
      Browser.Result dom = Browser.run(outDir, "--dump-dom", page.getKey().toUri().toString());
      assertTrue(dom.out().contains("<svg id=\"treemap\""), page.getKey() + ": no treemap in the DOM");
      assertTrue(dom.out().split("<rect ", -1).length > 5, page.getKey() + ": the treemap has no rectangles");
      for (String table : page.getValue()) {
        assertTrue(dom.out().contains("<table id=\"" + table + "\">"), page.getKey() + ": no table " + table);
      }
      assertFalse(dom.log().contains("Uncaught") || dom.log().contains(":CONSOLE("),
          page.getKey() + ": the console reported\n" + dom.log());
    }
    Path screenshot = outDir.resolve("build.png");
    Browser.run(outDir, "--window-size=1280,1800", "--screenshot=" + screenshot,
        outDir.resolve("build.html").toUri().toString());
    assertTrue(Files.size(screenshot) > 20_000, "a screenshot with something drawn");
  }

  /** Debian's chromium, headless, with a fresh profile directory per run. */
  private static final class Browser {
    record Result(String out, String log) {}

    static Result run(Path dir, String... args) throws Exception {
      Path profile = Files.createTempDirectory(dir, "chromium-profile-");
      List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
          "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
      command.addAll(List.of(args));
      Path log = dir.resolve("chromium.log");
      Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
      String logText = Files.readString(log);
      assertEquals(0, p.exitValue(), logText);
      return new Result(out, logText);
    }
  }

  @Test
  void anImageThatDoesNotExistIsOneLineExitTwo() {
    CliRun run = CliRun.of("xray", "minify-it/no-such-image:0");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: image 'minify-it/no-such-image:0' is neither in the local engine nor a file or"
        + " directory (minify never pulls)", run.err().strip());
  }

  /** What {@code docker save} holds: the sum of its layer tars, and the digest of its config. */
  private record Saved(long layerBytes, String configId) {}

  /** Reads {@link Saved} straight from the archive {@code docker save} writes. */
  private static Saved saved(String image) throws IOException {
    Map<String, Long> sizes = new HashMap<>();
    JsonNode manifest = null;
    try (InputStream save = engine.images().saveImage(image);
        TarArchiveInputStream tar = new TarArchiveInputStream(save)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        sizes.put(entry.getName(), entry.getSize());
        if (entry.getName().equals("manifest.json")) {
          manifest = JSON.readTree(tar.readAllBytes());
        }
      }
    }
    long total = 0;
    for (JsonNode layer : manifest.get(0).path("Layers")) {
      total += sizes.get(layer.asText());
    }
    // "<hex>.json" (classic image store) or "blobs/sha256/<hex>" (containerd image store)
    String config = manifest.get(0).path("Config").asText();
    return new Saved(total, "sha256:" + config.replaceAll("^.*/|\\.json$", ""));
  }

  /** name -> "version installed-KiB", as dpkg in the image itself reports it. */
  private static Map<String, String> dpkgQuery(String image) throws Exception {
    Process p = new ProcessBuilder("docker", "run", "--rm", "--network", "none", "--entrypoint", "dpkg-query", image,
        "-W", "-f", "${db:Status-Status}\\t${Package}\\t${Version}\\t${Installed-Size}\\n").redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    Map<String, String> packages = new TreeMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length == 4 && f[0].equals("installed")) {
        packages.put(f[1], f[2] + " " + (f[3].isEmpty() ? 0 : Long.parseLong(f[3])));
      }
    }
    return packages;
  }
}
