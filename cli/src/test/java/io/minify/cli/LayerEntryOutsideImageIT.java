package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer entry whose name climbs out of the image ({@code ../../evil}). The engine loads such
 * an image (it puts the file inside the layer) and runs it, but cannot save it: the build must
 * say it is the image's fault (exit 2) and which entry, not report an engine failure (exit 3).
 */
class LayerEntryOutsideImageIT extends RealEngineTest {
  private static final String RUNNABLE = "minify-it/outside-base:1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path archives;

  @BeforeAll
  static void buildRunnableBase() throws Exception {
    TestImages.build(RUNNABLE, "FROM minify-base:bookworm\nCMD [\"sleep\", \"60\"]\n");
  }

  @AfterAll
  static void removeRunnableBase() {
    TestImages.untag(RUNNABLE);
  }

  @Test
  void anEntryThatLeadsNowhereOnTheHostIsNamed() throws Exception {
    assertBadEntry("minify-it/outside-nowhere:1", "../../evil");
  }

  @Test
  void anEntryThatLeadsToAHostFileIsNamed() throws Exception {
    assertBadEntry("minify-it/outside-host-file:1", "../../../../../../../../etc/hostname");
  }

  private void assertBadEntry(String image, String entry) throws Exception {
    TestImages.load(withExtraLayer(image, entry));
    try {
      CliRun run = CliRun.of("build", image, "--http-probe-off", "--continue-after", "timeout:1", "--no-report",
          "--work-dir", workRoot.toString());
      assertEquals(2, run.exitCode(), run.toString());
      String[] lines = run.err().strip().split("\n");
      String last = lines[lines.length - 1];
      // found at probing when the engine refused the save by then, else at selection
      assertTrue(last.matches("minify: error: (probe|select): the image cannot be read: layer entry '"
          + Pattern.quote(entry) + "' names a path outside the image; the engine loaded the"
          + " image but cannot save it \\(.*\\)"), run.toString());
      Leftovers.assertNone(engine, workRoot);
      assertFalse(engine.images().inspectImage(image.replace(":", ".slim:")).isPresent(), "no slim tag");

      CliRun xray = CliRun.of("xray", image, "--work-dir", workRoot.toString());
      assertEquals(2, xray.exitCode(), xray.toString());
      assertTrue(xray.err().strip().startsWith("minify: error: image '" + image + "': layer entry '" + entry + "'"),
          xray.toString());
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(image);
    }
  }

  /** {@code RUNNABLE}'s archive with one more layer: a file, and {@code entry}. */
  private static Path withExtraLayer(String tag, String entry) throws IOException, InterruptedException,
      NoSuchAlgorithmException {
    Path saved = archives.resolve("base.tar");
    if (!Files.exists(saved)) {
      TestImages.save(RUNNABLE, saved);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(saved))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.isFile()) {
          files.put(e.getName(), in.readAllBytes());
        }
      }
    }
    ObjectNode manifest = (ObjectNode) JSON.readTree(files.get("manifest.json")).get(0);
    ObjectNode config = (ObjectNode) JSON.readTree(files.get(manifest.get("Config").asText()));
    config.remove("history");

    ByteArrayOutputStream layerBytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream layer = new TarArchiveOutputStream(layerBytes)) {
      layer.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      addFile(layer, "srv/hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
      addFile(layer, entry, "not for the host\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] layer = layerBytes.toByteArray();
    String diffId = sha256(layer);
    ((ArrayNode) config.get("rootfs").get("diff_ids")).add("sha256:" + diffId);
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configName = sha256(configBytes) + ".json";

    manifest.put("Config", configName);
    manifest.putArray("RepoTags").add(tag);
    ((ArrayNode) manifest.get("Layers")).add(diffId + "/layer.tar");

    Path archive = archives.resolve(tag.replaceAll("[/:]", "_") + ".tar");
    try (OutputStream out = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (JsonNode layerName : manifest.get("Layers")) {
        if (!layerName.asText().equals(diffId + "/layer.tar")) {
          addFile(tar, layerName.asText(), files.get(layerName.asText()));
        }
      }
      addFile(tar, diffId + "/layer.tar", layer);
      addFile(tar, configName, configBytes);
      addFile(tar, "manifest.json", JSON.writeValueAsBytes(JSON.createArrayNode().add(manifest)));
    }
    return archive;
  }

  private static void addFile(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve the name as given, ".." and all
    e.setSize(bytes.length);
    e.setMode(0644);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
