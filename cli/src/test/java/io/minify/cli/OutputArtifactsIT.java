package io.minify.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --output-tar}, {@code --output-oci} and {@code --no-load} end to end: the artifacts
 * are written, reproducible, read back by a third-party OCI tool (skopeo) and by
 * {@code docker load}, and nothing else stays behind.
 */
class OutputArtifactsIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/static-scratch:1.0";
  private static final String TAG = "minify-it/out-scratch:1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private Path outDir;

  @AfterAll
  static void disconnect() {
    TestImages.untag(TAG);
  }

  @BeforeEach
  void dirs() throws IOException {
    outDir = Files.createTempDirectory("minify-it-out");
  }

  @AfterEach
  void removeDirs() throws IOException {
    TestImages.untag(TAG);
    deleteTree(outDir);
  }

  @Test
  void noLoadWritesReproducibleArtifactsThatSkopeoAndDockerRead() throws Exception {
    CliRun first = build(outDir.resolve("a.tar"), outDir.resolve("oci-a"), "--no-load");
    assertEquals(0, first.exitCode(), first.toString());
    assertFalse(engine.images().inspectImage(TAG).isPresent(), "--no-load leaves no tag in the engine");
    Leftovers.assertNone(engine, workRoot);
    try (Stream<Path> s = Files.list(outDir)) {
      assertEquals(List.of("a.tar", "oci-a"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "only the artifacts, no temporary file beside them");
    }

    // the same input gives the same bytes, for both formats
    CliRun second = build(outDir.resolve("b.tar"), outDir.resolve("oci-b"), "--no-load");
    assertEquals(0, second.exitCode(), second.toString());
    assertArrayEquals(Files.readAllBytes(outDir.resolve("a.tar")), Files.readAllBytes(outDir.resolve("b.tar")));
    assertEquals(fileDigests(outDir.resolve("oci-a")), fileDigests(outDir.resolve("oci-b")));

    // a third-party OCI tool reads the layout: manifest, config and the gzip layer by digest
    Path oci = outDir.resolve("oci-a");
    JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
    JsonNode entry = index.path("manifests").get(0);
    assertEquals(TAG, entry.path("annotations").path("org.opencontainers.image.ref.name").asText());
    JsonNode inspect = JSON.readTree(run("skopeo", "inspect", "oci:" + oci + ":" + TAG));
    assertEquals(entry.path("digest").asText(), inspect.path("Digest").asText());
    JsonNode manifest = JSON.readTree(blob(oci, entry.path("digest").asText()));
    assertEquals(List.of(manifest.path("layers").get(0).path("digest").asText()), texts(inspect.path("Layers")));
    JsonNode config = JSON.readTree(run("skopeo", "inspect", "--config", "oci:" + oci + ":" + TAG));
    assertEquals(List.of("/server"), texts(config.path("config").path("Entrypoint")));
    // copying re-reads every blob and checks it against its digest and size
    Path copy = outDir.resolve("copied");
    run("skopeo", "copy", "--quiet", "oci:" + oci + ":" + TAG, "dir:" + copy);
    assertTrue(Files.isRegularFile(copy.resolve("manifest.json")));

    // the docker-archive loads under the slim tag and the image answers
    String loaded = run("docker", "load", "-i", outDir.resolve("a.tar").toString());
    assertTrue(loaded.contains("Loaded image: " + TAG), loaded);
    String imageId = engine.images().inspectImage(TAG).orElseThrow().id().toString();
    assertEquals(config.path("rootfs").path("diff_ids").toString(),
        JSON.readTree(run("docker", "image", "inspect", "--format", "{{json .RootFS.Layers}}", TAG)).toString());
    assertEquals("sha256:" + sha256(blob(oci, manifest.path("config").path("digest").asText())), imageId,
        "the OCI config blob is the loaded image's config: same image id");
    assertServes(TAG);
  }

  @Test
  void loadedAndWrittenTogether() throws Exception {
    try {
      CliRun run = build(outDir.resolve("slim.tar"), null);
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(engine.images().inspectImage(TAG).isPresent(), "without --no-load the image is tagged as well");
      assertTrue(Files.size(outDir.resolve("slim.tar")) > 0);
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(TAG);
    }
  }

  @Test
  void unwritableOutputsAreRejectedBeforeAnythingStarts() throws Exception {
    Path file = Files.writeString(outDir.resolve("file"), "x");
    Path nonEmpty = Files.createDirectories(outDir.resolve("full"));
    Files.writeString(nonEmpty.resolve("keep"), "x");
    expectBadInput("--output-tar: cannot write to " + file.resolve("x.tar")
        + " (its directory does not exist or is not writable)", "--output-tar", file.resolve("x.tar").toString());
    expectBadInput("--output-tar: cannot write to " + outDir + " (it is a directory or not writable)",
        "--output-tar", outDir.toString());
    expectBadInput("--output-oci: " + nonEmpty + " exists and is not an empty directory",
        "--output-oci", nonEmpty.toString());
    expectBadInput("--output-oci: cannot write to " + outDir.resolve("no/such") + " (its parent directory does not"
        + " exist or is not writable)", "--output-oci", outDir.resolve("no/such").toString());
    expectBadInput("--no-load needs --output-tar or --output-oci: otherwise the build would produce nothing",
        "--no-load");
    try (Stream<Path> s = Files.list(outDir)) {
      assertEquals(List.of("file", "full"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * Root may write anywhere as far as access(2) says, but not into /proc or /sys: such a path
   * must be refused by a real attempt, at once (issue 9 saw a raw NoSuchFileException only
   * after the whole build ran). Without --quiet, so that a stage that started would print.
   */
  @Test
  void pathsNotEvenRootCanWriteAreRefusedBeforeAnythingStarts() throws Exception {
    for (String[] refused : List.of(
        new String[] {"--output-tar: cannot write to /proc/x (its directory does not exist or is not writable)",
            "--output-tar", "/proc/x"},
        new String[] {"--output-tar: cannot write to /sys/x.tar (its directory does not exist or is not writable)",
            "--output-tar", "/sys/x.tar"},
        new String[] {"--report: cannot write to /proc/report.json (its directory does not exist or is not"
            + " writable)", "--report", "/proc/report.json"},
        new String[] {"--report: cannot write to /sys/report.json (its directory does not exist or is not"
            + " writable)", "--report", "/sys/report.json"})) {
      CliRun run = CliRun.of("build", IMAGE, "--tag", TAG, "--work-dir", workRoot.toString(), refused[1], refused[2]);
      assertRefused(run, refused[0], TAG);
      assertEquals("", run.out(), "no summary: nothing ran\n" + run);
    }
  }

  private void expectBadInput(String message, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", TAG, "--no-report", "--quiet",
        "--work-dir", workRoot.toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertRefused(run, message, TAG);
  }

  private CliRun build(Path tar, Path oci, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", TAG, "--no-report", "--quiet",
        "--work-dir", workRoot.toString()));
    if (tar != null) {
      args.addAll(List.of("--output-tar", tar.toString()));
    }
    if (oci != null) {
      args.addAll(List.of("--output-oci", oci.toString()));
    }
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  /**
   * {@link Leftovers#assertNone} for an engine shared with other builds running at the same
   * time: a container another build labelled with its own work root is not ours; any other
   * minify container counts only if it is still there after two minutes (another build's
   * containers come and go, a leftover stays). Any file in {@code workRoot} is a leftover.
   */
  /** Runs the image on a 127.0.0.1 port and expects GET / to answer 200. */
  static void assertServes(String image) throws Exception {
    String id = run("docker", "run", "-d", "--label", "minify-it=outputs", "-p", "127.0.0.1::8080", image).strip();
    try {
      String port = run("docker", "port", id, "8080/tcp").lines().findFirst().orElseThrow().replaceAll(".*:", "");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).ignoreException(IOException.class)
          .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    } finally {
      run("docker", "rm", "-f", id);
    }
  }

  /** Runs a command, fails on a non-zero exit, returns stdout. */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(err, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static TreeMap<String, String> fileDigests(Path dir) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), sha256(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
