package io.minify.image;

import io.minify.digest.Digest;
import io.minify.path.UnixPath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedImageTest {
  @TempDir
  Path tmp;

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Digests as the config writes them. */
  private static List<String> strings(List<Digest> digests) {
    return digests.stream().map(Digest::toString).toList();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /** A docker-save style outer archive, entries in the order given. */
  private static final class Archive {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

    Archive file(String name, byte[] content) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
      e.setSize(content.length);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
      return this;
    }

    Archive file(String name, String content) throws IOException {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Archive symlink(String name, String target) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      e.setLinkName(target);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    ByteArrayInputStream stream() throws IOException {
      tar.finish();
      return new ByteArrayInputStream(bytes.toByteArray());
    }
  }

  private static String config(String... diffIds) {
    return "{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + String.join("\",\"", diffIds) + "\"]}}";
  }

  @Test
  void readsLegacyLayoutWithManifestLastAndRepeatedLayerSymlink() throws Exception {
    byte[] layer0 = new TestLayer().file("a", "A").bytes();
    byte[] layer1 = new TestLayer().file("b", "B").bytes();
    String d0 = "sha256:" + sha256(layer0);
    String d1 = "sha256:" + sha256(layer1);
    String config = config(d0, d1, d0);
    String configName = sha256(config.getBytes(StandardCharsets.UTF_8)) + ".json";
    var archive = new Archive()
        .file("aaa/layer.tar", layer0).file("aaa/VERSION", "1.0")
        .file("bbb/layer.tar", gzip(layer1))
        .symlink("ccc/layer.tar", "../aaa/layer.tar")
        .file(configName, config)
        .file("repositories", "{}")
        .file("manifest.json", "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"app:1.0\"],"
            + "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\",\"ccc/layer.tar\"]}]");

    SavedImage image = SavedImage.read(archive.stream(), tmp.resolve("work"));
    assertEquals(config, new String(image.config(), StandardCharsets.UTF_8));
    assertEquals(List.of("app:1.0"), image.repoTags());
    assertEquals(List.of(d0, d1, d0), strings(image.diffIds()));
    assertEquals(3, image.layers().size());
    assertArrayEquals(layer0, Files.readAllBytes(image.layers().get(0)));
    assertArrayEquals(layer1, Files.readAllBytes(image.layers().get(1)));
    assertArrayEquals(layer0, Files.readAllBytes(image.layers().get(2)));
    try (var files = Files.list(tmp.resolve("work"))) {
      assertEquals(3, files.count(), "the spool directory is removed");
    }
  }

  @Test
  void readsOciLayoutOfDocker25() throws Exception {
    byte[] layer = new TestLayer().dir("etc").file("etc/os-release", "ID=debian").bytes();
    byte[] compressed = gzip(layer);
    String diffId = "sha256:" + sha256(layer);
    String config = config(diffId);
    String configHex = sha256(config.getBytes(StandardCharsets.UTF_8));
    String blobHex = sha256(compressed);
    var archive = new Archive()
        .file("blobs/sha256/" + blobHex, compressed)
        .file("blobs/sha256/" + configHex, config)
        .file("index.json", "{\"schemaVersion\":2,\"manifests\":[]}")
        .file("manifest.json", "[{\"Config\":\"blobs/sha256/" + configHex + "\",\"RepoTags\":null,"
            + "\"Layers\":[\"blobs/sha256/" + blobHex + "\"]}]")
        .file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
    SavedImage image = SavedImage.read(archive.stream(), tmp);
    assertEquals(List.of(), image.repoTags());
    assertEquals(List.of(diffId), strings(image.diffIds()));
    assertArrayEquals(layer, Files.readAllBytes(image.layers().get(0)));
    try (var fs = LayeredImageFilesystem.open(image.layers())) {
      assertTrue(fs.entry(p("/etc/os-release")).isPresent());
    }
  }

  @Test
  void rejectsLayerThatDoesNotMatchItsDiffId() throws Exception {
    byte[] layer = new TestLayer().file("a", "A").bytes();
    String wrong = "sha256:" + "0".repeat(64);
    var archive = new Archive().file("l/layer.tar", layer).file("c.json", config(wrong))
        .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"l/layer.tar\"]}]");
    var e = assertThrows(ImageFormatException.class, () -> SavedImage.read(archive.stream(), tmp));
    assertEquals("layer 'l/layer.tar' has digest sha256:" + sha256(layer)
        + " but the config's rootfs.diff_ids[0] is " + wrong, e.getMessage());
  }

  @Test
  void rejectsArchivesWithoutManifestOrWithMissingFiles() throws Exception {
    var noManifest = assertThrows(ImageFormatException.class,
        () -> SavedImage.read(new Archive().file("x", "y").stream(), tmp));
    assertEquals("image archive has no manifest.json (expected `docker save` output)", noManifest.getMessage());
    var missingLayer = assertThrows(ImageFormatException.class, () -> SavedImage.read(new Archive()
        .file("c.json", "{}").file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"gone/layer.tar\"]}]")
        .stream(), tmp));
    assertEquals("manifest.json Layers names 'gone/layer.tar' but the archive has no such file",
        missingLayer.getMessage());
  }

  @Test
  void rejectsDotDotNamesInTheArchive() throws Exception {
    var e = assertThrows(ImageFormatException.class,
        () -> SavedImage.read(new Archive().file("../evil", "x").stream(), tmp));
    assertEquals("image archive entry '../evil' has a '..' component", e.getMessage());
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
