package io.minify.image;

import io.minify.path.UnixPath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index built while the save stream is read must equal the one a scan of the files builds. */
class SinglePassIndexTest {
  @TempDir
  Path tmp;

  private static final String LONG_DIR = "opt/" + "very-long-directory-name-".repeat(6);

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /** A layer with GNU ././@LongLink headers (TestLayer writes PAX ones), as GNU tar would. */
  private static byte[] gnuLongNameLayer() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      byte[] content = "gnu long name".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry(LONG_DIR + "gnu-file-" + "x".repeat(80), TarConstants.LF_NORMAL, true);
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("gnu-link", TarConstants.LF_SYMLINK, true);
      link.setLinkName("/" + LONG_DIR + "target-" + "y".repeat(90));
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** A docker-save archive: layers in the order given, manifest.json last, every layer gzipped where asked. */
  private static byte[] saveArchive(List<byte[]> layers, List<Boolean> gzipped) throws Exception {
    List<String> diffIds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      for (int i = 0; i < layers.size(); i++) {
        byte[] stored = gzipped.get(i) ? gzip(layers.get(i)) : layers.get(i);
        diffIds.add("sha256:" + sha256(layers.get(i)));
        names.add("blobs/sha256/" + sha256(stored));
        put(tar, names.get(i), stored);
      }
      String config = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]}}";
      String configName = "blobs/sha256/" + sha256(config.getBytes(StandardCharsets.UTF_8));
      put(tar, configName, config.getBytes(StandardCharsets.UTF_8));
      put(tar, "manifest.json", ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"t:1\"],\"Layers\":[\""
          + String.join("\",\"", names) + "\"]}]").getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static byte[] read(ImageFilesystem fs, FileEntry entry) throws IOException {
    try (InputStream in = fs.open(entry)) {
      return in.readAllBytes();
    }
  }

  @Test
  void singlePassIndexEqualsTwoPassIndex() throws Exception {
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7);
    }
    byte[] base = new TestLayer()
        .dir("etc").file("etc/passwd", "root:x:0:0").dir("var/cache", 0700, 7, 8).file("var/cache/a", "1")
        .dir("var/cache/sub").file("var/cache/sub/b", "2").dir("d").file("d/gone", "3").file("d/kept", "4")
        .dir("usr/bin").file("usr/bin/perl5", "PERL".getBytes(StandardCharsets.UTF_8), 0755, Map.of("user.k", "v"))
        .hardlink("usr/bin/perl", "usr/bin/perl5").file("usr/bin/big", big, 0755, Map.of())
        .symlink("bin", "usr/bin").charDevice("dev/null", 1, 3).fifo("dev/pipe")
        .file(LONG_DIR + "pax-long-name-" + "z".repeat(120), "pax long")
        .bytes();
    byte[] gnu = gnuLongNameLayer();
    byte[] top = new TestLayer()
        .opaque("var/cache").file("var/cache/fresh", "5").whiteout("d/gone").whiteout("etc/passwd")
        .file("usr/bin/perl5", "PERL 2").hardlink("usr/bin/perl-again", "usr/bin/perl")
        .symlink("long-target", "../" + "w".repeat(150))
        .bytes();
    byte[] archive = saveArchive(List.of(base, gnu, top), List.of(false, true, true));

    SavedImage saved = SavedImage.read(new ByteArrayInputStream(archive), tmp.resolve("work"));
    assertEquals(3, saved.layerIndexes().size());
    for (int i = 0; i < 3; i++) {
      Optional<LayerIndex> streamed = saved.layerIndexes().get(i);
      assertTrue(streamed.isPresent(), "layer " + i + " was indexed while streaming");
      LayerIndex scanned = LayeredImageFilesystem.scan(saved.layers().get(i));
      assertEquals(scanned.entries(), streamed.get().entries(), "layer " + i);
      assertEquals(scanned.layerBytes(), streamed.get().layerBytes(), "layer " + i);
    }
    assertEquals(List.of("sha256:" + sha256(base), "sha256:" + sha256(gnu), "sha256:" + sha256(top)),
        saved.diffIds().stream().map(Object::toString).toList());
    assertArrayEquals(gnu, Files.readAllBytes(saved.layers().get(1)), "gzip layers are stored uncompressed");

    try (var singlePass = LayeredImageFilesystem.open(saved);
        var twoPass = LayeredImageFilesystem.open(saved.layers())) {
      assertEquals(List.copyOf(twoPass.entries()), List.copyOf(singlePass.entries()));
      assertEquals(twoPass.contentBytes(), singlePass.contentBytes());
      for (FileEntry entry : twoPass.entries()) {
        if (entry.type() == EntryType.FILE || entry.type() == EntryType.HARDLINK) {
          assertArrayEquals(read(twoPass, entry), read(singlePass, entry), entry.path().toString());
        }
      }
      // Spot checks that the image above exercises what it claims to.
      assertEquals(List.of(p("/var/cache/fresh")), singlePass.entries().stream().map(FileEntry::path)
          .filter(p -> p.isBelow(p("/var/cache"))).toList());
      assertTrue(singlePass.entry(p("/d/gone")).isEmpty());
      assertTrue(singlePass.entry(p("/etc/passwd")).isEmpty());
      assertEquals("PERL", new String(read(singlePass, singlePass.entry(p("/usr/bin/perl-again")).orElseThrow()),
          StandardCharsets.UTF_8));
      assertEquals("gnu long name", new String(read(singlePass,
          singlePass.entry(p("/" + LONG_DIR + "gnu-file-" + "x".repeat(80))).orElseThrow()), StandardCharsets.UTF_8));
      assertEquals(SymlinkTarget.of("/" + LONG_DIR + "target-" + "y".repeat(90)),
          singlePass.entry(p("/gnu-link")).orElseThrow().symlinkTarget());
      assertArrayEquals(big, read(singlePass, singlePass.entry(p("/usr/bin/big")).orElseThrow()));
    }
  }

  @Test
  void layerThatIsNotATarFailsOnOpenAsBefore() throws Exception {
    byte[] junk = "this is not a tar archive at all".repeat(40).getBytes(StandardCharsets.UTF_8);
    SavedImage saved = SavedImage.read(new ByteArrayInputStream(saveArchive(List.of(junk), List.of(false))), tmp);
    assertEquals(List.of(Optional.empty()), saved.layerIndexes());
    var e = assertThrows(ImageFormatException.class, () -> LayeredImageFilesystem.open(saved));
    assertTrue(e.getMessage().startsWith("layer 0 (layer-000.tar) is not a readable tar"), e.getMessage());
  }

  @Test
  void unsafeNamesInAStreamedLayerAreRejectedOnOpen() throws Exception {
    byte[] layer = new TestLayer().file("a", "x").hardlink("b", "../../etc/shadow").bytes();
    SavedImage saved = SavedImage.read(new ByteArrayInputStream(saveArchive(List.of(layer), List.of(true))), tmp);
    var e = assertThrows(ImageFormatException.class, () -> LayeredImageFilesystem.open(saved));
    assertEquals("layer 0 (layer-000.tar): hardlink 'b' has a target with a '..' component: '../../etc/shadow'",
        e.getMessage());
  }

  @Test
  void brokenGzipLayerKeepsItsError() throws Exception {
    byte[] whole = gzip(new TestLayer().file("a", "A".repeat(5000)).bytes());
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
    byte[] badHeader = whole.clone();
    badHeader[2] = 0; // compression method 0 is not deflate
    for (byte[] broken : List.of(truncated, badHeader)) {
      IOException gunzipError = assertThrows(IOException.class, () -> {
        try (InputStream in = GzipCompressorInputStream.builder().setInputStream(new ByteArrayInputStream(broken))
            .setDecompressConcatenated(true).get()) {
          in.readAllBytes();
        }
      });
      byte[] archive = saveArchive(List.of(broken), List.of(false));
      var e = assertThrows(ImageFormatException.class, () -> SavedImage.read(new ByteArrayInputStream(archive), tmp));
      assertEquals("layer 'blobs/sha256/" + sha256(broken) + "' is not valid gzip: " + gunzipError.getMessage(),
          e.getMessage());
    }
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
