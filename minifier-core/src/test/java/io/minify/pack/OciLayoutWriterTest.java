package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.image.ImageReference;
import io.minify.tar.SmallTar;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutWriterTest {
  @TempDir
  Path tmp;

  private byte[] layerBytes;
  private LayerBlob layer;
  private byte[] config;
  private final OciLayoutWriter writer = new OciLayoutWriter();
  private final OciLayoutValidator validator = new OciLayoutValidator();

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @BeforeEach
  void setUp() throws Exception {
    // compressible content, so the gzip blob clearly differs from the tar in size and digest
    // a real tar, so each layout written here can be validated whole
    layerBytes = SmallTar.of(List.of(SmallTar.file("pretend", 0644,
        "pretend this is a layer tar ".repeat(500).getBytes(StandardCharsets.UTF_8))));
    Path layerFile = Files.write(tmp.resolve("layer.tar"), layerBytes);
    layer = new LayerBlob(layerFile, Digest.sha256Of(layerBytes), layerBytes.length, 3, 42);
    config = new DockerArchiveWriter().rewriteConfig(DockerArchiveWriterTest.resource("original-config.json"), layer,
        c -> c);
  }

  @Test
  void indexManifestAndLayoutMatchGoldenText() throws Exception {
    OciLayout out = writer.write(config, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("oci"));
    validator.requireValid(out);
    Path dir = out.directory();
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(dir.resolve("oci-layout")));
    byte[] manifest = Files.readAllBytes(blob(dir, out.manifestDigest()));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + out.manifestDigest()
        + "\",\"size\":" + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"app.slim:1.0\"}}]}",
        Files.readString(dir.resolve("index.json")));
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
        + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"" + out.layerDigest() + "\",\"size\":" + out.layerSize() + "}]}",
        new String(manifest, StandardCharsets.UTF_8));
    assertEquals("sha256:" + sha256(config), out.configDigest().toString(), "the config blob is the image id");
    assertTrue(new String(config, StandardCharsets.UTF_8).contains(layer.diffId().toString()),
        "the config names the UNCOMPRESSED layer in rootfs.diff_ids");
  }

  @Test
  void everyBlobIsNamedByTheDigestOfItsBytesAndSizesMatch() throws Exception {
    OciLayout out = writer.write(config, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("oci"));
    validator.requireValid(out);
    List<Path> blobs;
    try (Stream<Path> s = Files.list(out.directory().resolve("blobs/sha256"))) {
      blobs = s.sorted().toList();
    }
    assertEquals(3, blobs.size(), "config, layer, manifest; no temporary file left: " + blobs);
    for (Path b : blobs) {
      assertEquals(b.getFileName().toString(), sha256(Files.readAllBytes(b)), b.toString());
    }
    Path layerBlob = blob(out.directory(), out.layerDigest());
    assertEquals(out.layerSize(), Files.size(layerBlob));
    assertTrue(out.layerSize() < layerBytes.length, "the layer is compressed");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layerBlob))) {
      assertArrayEquals(layerBytes, in.readAllBytes(), "the blob gunzips to the layer the diff_id names");
    }
  }

  @Test
  void gzipHeaderHasNoTimeAndNoName() throws Exception {
    OciLayout out = writer.write(config, layer, Optional.empty(), tmp.resolve("oci"));
    validator.requireValid(out);
    byte[] gz = Files.readAllBytes(blob(out.directory(), out.layerDigest()));
    assertEquals(0x1f, gz[0] & 0xff);
    assertEquals(0x8b, gz[1] & 0xff);
    assertEquals(0, gz[3], "FLG: no FNAME, FCOMMENT, FEXTRA");
    assertArrayEquals(new byte[4], new byte[] {gz[4], gz[5], gz[6], gz[7]}, "MTIME is 0");
    assertTrue(!Files.readString(out.directory().resolve("index.json")).contains("annotations"));
  }

  @Test
  void sameInputGivesSameBytes() throws Exception {
    OciLayout a = writer.write(config, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("a"));
    validator.requireValid(a);
    OciLayout b = writer.write(config, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("b"));
    assertEquals(a.manifestDigest(), b.manifestDigest());
    assertEquals(contents(a.directory()), contents(b.directory()));
  }

  @Test
  void refusesANonEmptyDirectory() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(dir.resolve("x"), "x");
    IOException e = assertThrows(IOException.class, () -> writer.write(config, layer, Optional.of(ImageReference.parse("a:1")), dir));
    assertEquals(dir + " is not empty", e.getMessage());
  }

  private static Path blob(Path dir, Digest digest) {
    return dir.resolve("blobs/sha256").resolve(digest.hex());
  }

  private static TreeMap<String, String> contents(Path dir) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), sha256(Files.readAllBytes(p)));
      }
    }
    return out;
  }
}
