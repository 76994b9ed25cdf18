package io.minify.cli;

import java.util.Optional;
import io.minify.image.ImageReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.digest.Digest;
import io.minify.engine.EngineException;
import io.minify.pack.DockerArchiveValidator;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xray} and {@code diff} on archives, without an engine: output, gates, bad input. */
class AnalysisCommandsTest {
  @TempDir
  Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A docker-archive of one layer holding {@code files} (name, size) under /app. */
  private Path archive(String name, int... sizes) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry app = new TarArchiveEntry("app/");
      tar.putArchiveEntry(app);
      tar.closeArchiveEntry();
      for (int i = 0; i < sizes.length; i++) {
        TarArchiveEntry file = new TarArchiveEntry("app/file-" + i);
        file.setSize(sizes[i]);
        file.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(file);
        tar.write(new byte[sizes[i]]);
        tar.closeArchiveEntry();
      }
    }
    Path layer = Files.write(dir.resolve(name + "-layer.tar"), bytes.toByteArray());
    Digest digest = Digest.sha256Of(bytes.toByteArray());
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]},\"history\":[]}").getBytes(StandardCharsets.UTF_8);
    Path archive = dir.resolve(name + ".tar");
    new DockerArchiveValidator().requireValid(new DockerArchiveWriter().write(config,
        new LayerBlob(layer, digest, Files.size(layer), sizes.length + 1, 0), Optional.of(ImageReference.parse(name
            + ":1")), archive));
    return archive;
  }

  @Test
  void xrayOfAnArchivePrintsJsonWithoutAnEngine() throws Exception {
    Path image = archive("big", 1000, 2000);
    CliRun run = CliRun.withEngine(() -> {
      throw new AssertionError("no engine for an archive");
    }, "xray", "--json", "--work-dir", dir.resolve("work").toString(), image.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode xray = JSON.readTree(run.out());
    assertEquals(3000, xray.path("totals").path("contentBytes").asLong());
    assertEquals("docker-archive", xray.path("source").asText());
    assertEquals("/app/file-1", xray.path("largestFiles").get(0).path("path").asText());
    try (Stream<Path> left = Files.list(dir.resolve("work"))) {
      assertEquals(0, left.count(), "the scratch directory is gone");
    }
  }

  @Test
  void xrayShowsTheChecksTheImageAloneTells() throws Exception {
    Path image = archive("rootly", 10);
    CliRun table = CliRun.of("xray", "--work-dir", dir.resolve("work").toString(), image.toString());
    assertEquals(0, table.exitCode(), table.toString());
    assertTrue(table.out().contains("\nchecks\n"), table.out());
    assertTrue(table.out().contains("-  warning  root-user"), table.out());
    assertTrue(table.out().contains("fix: create a user in the Dockerfile"), table.out());
    CliRun json = CliRun.of("xray", "--json", "--work-dir", dir.resolve("work").toString(), image.toString());
    JsonNode check = JSON.readTree(json.out()).path("checks").get(0);
    assertEquals("root-user", check.path("id").asText());
    assertEquals("warning", check.path("level").asText());
    assertTrue(check.path("layer").isNull());
  }

  @Test
  void xrayWritesAnSbomThatValidates() throws Exception {
    Path sbom = dir.resolve("sbom.json");
    CliRun run = CliRun.of("xray", "--sbom", sbom.toString(), archive("sbom", 10, 20).toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(java.util.List.of(), new org.cyclonedx.parsers.JsonParser().validate(Files.readAllBytes(sbom),
        io.minify.analysis.CycloneDxSbom.SPEC));
    assertEquals(2, JSON.readTree(sbom.toFile()).path("components").size(), "two files no package owns");
    assertRefused(CliRun.of("xray", "--sbom", dir.resolve("no/such/dir/sbom.json").toString(), "x"),
        "--sbom " + dir.resolve("no/such/dir/sbom.json") + ": not a file in an existing directory", "xray");
  }

  @Test
  void xrayPrintsTablesByDefault() throws Exception {
    CliRun run = CliRun.of("xray", archive("tables", 10).toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("efficiency 1.0000"), run.out());
    assertTrue(run.out().contains("largest files"), run.out());
  }

  @Test
  void diffAddsUpAndGatesFailWithExitFour() throws Exception {
    Path a = archive("a", 1000, 2000, 3000);
    Path b = archive("b", 1000);
    CliRun run = CliRun.of("diff", "--json", a.toString(), b.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode diff = JSON.readTree(run.out());
    assertEquals(6000, diff.path("kept").path("bytesInA").asLong() + diff.path("dropped").path("bytes").asLong());
    assertEquals(2, diff.path("dropped").path("entries").asLong());

    CliRun gated = CliRun.of("diff", "--fail-if-ratio-below", "100", "--max-size", "1kB", a.toString(), b.toString());
    assertEquals(4, gated.exitCode(), gated.toString());
    String line = gated.err().strip();
    assertTrue(line.startsWith("minify: gate failed: ratio ") && line.contains("is below --fail-if-ratio-below 100")
        && line.contains("above --max-size 1kB") && !line.contains("\n"), line);
  }

  @Test
  void xrayGates() throws Exception {
    Path image = archive("gate", 10);
    assertEquals(0, CliRun.of("xray", "--min-efficiency", "0.9", "--max-wasted", "0", image.toString()).exitCode());
    CliRun bad = CliRun.of("xray", "--min-efficiency", "lots", image.toString());
    assertRefused(bad, "--min-efficiency 'lots': not a number", "xray");
    assertRefused(CliRun.of("xray", "--max-wasted", "big", image.toString()),
        "--max-wasted: 'big' is not a size (write e.g. 50MB, 1.5GiB or 123456)", "xray");
    assertRefused(CliRun.of("xray", "--min-efficiency", "2", image.toString()),
        "--min-efficiency '2': must be between 0 and 1", "xray");
  }

  @Test
  void aTarThatIsNotAnImageIsOneLineExitTwo() throws Exception {
    Path notAnImage = dir.resolve("plain.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(notAnImage))) {
      TarArchiveEntry file = new TarArchiveEntry("hello.txt");
      file.setSize(2);
      tar.putArchiveEntry(file);
      tar.write("hi".getBytes(StandardCharsets.UTF_8));
      tar.closeArchiveEntry();
    }
    CliRun run = CliRun.of("xray", notAnImage.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: docker-archive '" + notAnImage + "': image archive has no manifest.json (expected"
        + " `docker save` output)", run.err().strip());
  }

  @Test
  void aReportThatIsNotAMinifyReportIsBadInput() throws Exception {
    Path a = archive("ra", 10);
    Path report = Files.writeString(dir.resolve("report.json"), "{\"hello\": 1}");
    CliRun run = CliRun.of("diff", "--report", report.toString(), a.toString(), a.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: --report " + report + ": not a minify build report (it has no kept[] array)",
        run.err().strip());
  }

  @Test
  void anEngineThatDoesNotAnswerIsTheEnvironment() {
    CliRun run = CliRun.withEngine(() -> {
      throw new EngineException("cannot reach the engine at unix:///var/run/docker.sock");
    }, "xray", "no-such-image:1");
    assertEquals(3, run.exitCode(), run.toString());
    assertEquals("minify: error: cannot reach the engine at unix:///var/run/docker.sock", run.err().strip());
  }

  private static void assertRefused(CliRun run, String message, String command) {
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: " + message + " (see 'minify " + command + " --help')", run.err().strip());
  }
}
