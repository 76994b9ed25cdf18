package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.fuzz.Fuzzer;
import io.minify.tar.TarBlocks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker save} archives are image bytes: {@link SavedImage#read} and the merge after it
 * give an image or an {@link ImageFormatException}, never another exception.
 */
class SavedImageFuzzTest {
  @TempDir
  Path dir;
  private int calls;

  @Test
  void dockerSaveArchives() throws Exception {
    byte[] layer0 = new TestLayer().dir("etc").file("etc/os-release", "ID=test\n").symlink("bin", "usr/bin").bytes();
    byte[] layer1 = new TestLayer().whiteout("etc/os-release").file("app", "run").bytes();
    String d0 = "sha256:" + sha256(layer0);
    String d1 = "sha256:" + sha256(layer1);
    String config = "{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"" + d0 + "\",\"" + d1 + "\",\"" + d0 + "\"]}}";
    String configName = sha256(config.getBytes(StandardCharsets.UTF_8)) + ".json";
    byte[] legacy = archive(
        "aaa/layer.tar", layer0, "bbb/layer.tar", gzip(layer1), "ccc/layer.tar", "../aaa/layer.tar",
        configName, config.getBytes(StandardCharsets.UTF_8),
        "manifest.json", ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"app:1.0\"],"
            + "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\",\"ccc/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
    String ociConfig = config.replace(",\"" + d0 + "\"]", "]");
    String ociConfigName = "blobs/sha256/" + sha256(ociConfig.getBytes(StandardCharsets.UTF_8));
    byte[] oci = archive(
        "manifest.json", ("[{\"Config\":\"" + ociConfigName + "\",\"RepoTags\":null,\"Layers\":[\"blobs/sha256/"
            + d0.substring(7) + "\",\"blobs/sha256/" + d1.substring(7) + "\"]}]").getBytes(StandardCharsets.UTF_8),
        ociConfigName, ociConfig.getBytes(StandardCharsets.UTF_8),
        "blobs/sha256/" + d0.substring(7), layer0, "blobs/sha256/" + d1.substring(7), layer1,
        "blobs/sha256/link", "/blobs/sha256/link");
    Fuzzer.ofBytes("SavedImage.read")
        .seeds(legacy, oci, archive("manifest.json", "[{}]".getBytes(StandardCharsets.UTF_8)))
        .repairedBy(TarBlocks::withChecksumsRepaired)
        .allowing(ImageFormatException.class)
        .run(this::readAndMerge);
  }

  /**
   * Found by {@link #dockerSaveArchives}: a manifest whose first bytes look like UTF-32 threw
   * a bare CharConversionException, which the command line reports as an environment fault.
   */
  @Test
  void manifestInAMisusedUnicodeEncodingIsABadArchive() throws Exception {
    byte[] archive = archive("manifest.json", new byte[] {'[', 0, 0, 0, 'a', 'b', 'c', 'd'});
    ImageFormatException e = assertThrows(ImageFormatException.class,
        () -> SavedImage.read(new ByteArrayInputStream(archive), dir.resolve("work")));
    assertTrue(e.getMessage().startsWith("'manifest.json' is not valid JSON: Invalid UTF-32 character"),
        e.getMessage());
  }

  private void readAndMerge(byte[] archive) throws Exception {
    Path work = dir.resolve("work-" + calls++);
    try {
      SavedImage image = SavedImage.read(new ByteArrayInputStream(archive), work);
      try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(image)) {
        fs.entries();
      }
    } finally {
      deleteRecursively(work);
    }
  }

  /** A docker-save style archive: name, content pairs; a String content is a symlink target. */
  private static byte[] archive(Object... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        String name = (String) namesAndContents[i];
        if (namesAndContents[i + 1] instanceof String target) {
          TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
          e.setLinkName(target);
          tar.putArchiveEntry(e);
        } else {
          byte[] content = (byte[]) namesAndContents[i + 1];
          TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
          e.setSize(content.length);
          tar.putArchiveEntry(e);
          tar.write(content);
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
