package io.minify.pack;

import io.minify.path.UnixPath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTarWriterTest {
  private static final String LONG_DIR = "usr/share/" + "very-long-directory-name-".repeat(5);

  @TempDir
  Path tmp;

  private LayeredImageFilesystem image() throws Exception {
    TestLayer base = new TestLayer()
        .dir("etc").dir("tmp", 01777, 0, 0).dir("var").dir("var/spool", 0750, 101, 102)
        .dir("usr").dir("usr/bin").dir("usr/share").dir(LONG_DIR).dir("dev").dir("z")
        .file("etc/hostname", "box\n")
        .file("usr/bin/sudo", "SUDO".getBytes(StandardCharsets.UTF_8), 04755, Map.of())
        .file("usr/bin/ping", "PING".getBytes(StandardCharsets.UTF_8), 0755,
            Map.of("security.capability", "caps", "user.note", "hello"))
        .file(LONG_DIR + "/file.txt", "long")
        .symlink("usr/bin/sh", "dash")
        .charDevice("dev/null", 1, 3).fifo("dev/initctl")
        .file("z/original", "SHARED-BYTES").hardlink("etc/link-b", "z/original").hardlink("usr/bin/link-a", "z/original");
    TestLayer upper = new TestLayer().file("etc/hostname", "slim\n");
    List<Path> layers = List.of(base.writeTo(tmp.resolve("l0.tar")), upper.writeTo(tmp.resolve("l1.tar")));
    return LayeredImageFilesystem.open(layers);
  }

  private static final List<UnixPath> KEPT = paths("/usr/bin/sudo", "/usr", "/usr/bin", "/etc", "/etc/hostname",
      "/tmp", "/var", "/var/spool", "/usr/bin/ping", "/usr/bin/sh", "/dev", "/dev/null", "/dev/initctl",
      "/usr/share", "/" + LONG_DIR, "/" + LONG_DIR + "/file.txt", "/usr/bin/link-a", "/etc/link-b", "/");

  private static List<TarArchiveEntry> readEntries(Path tar, List<byte[]> contents) throws Exception {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.add(e);
        contents.add(in.readAllBytes());
      }
    }
    return entries;
  }

  @Test
  void writesSortedEntriesWithTheirMetadata() throws Exception {
    try (var fs = image()) {
      LayerBlob blob = new LayerTarWriter(fs).write(KEPT, tmp.resolve("out.tar"));
      List<byte[]> contents = new ArrayList<>();
      List<TarArchiveEntry> entries = readEntries(blob.file(), contents);
      List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
      assertEquals(List.of("dev/", "dev/initctl", "dev/null", "etc/", "etc/hostname", "etc/link-b", "tmp/", "usr/",
          "usr/bin/", "usr/bin/link-a", "usr/bin/ping", "usr/bin/sh", "usr/bin/sudo", "usr/share/", LONG_DIR + "/",
          LONG_DIR + "/file.txt", "var/", "var/spool/"), names);
      assertEquals(18, blob.entries());

      Map<String, TarArchiveEntry> byName = new java.util.HashMap<>();
      entries.forEach(e -> byName.put(e.getName(), e));
      for (TarArchiveEntry e : entries) {
        assertEquals("", e.getUserName(), e.getName());
        assertEquals("", e.getGroupName(), e.getName());
        assertEquals(1_700_000_000L, e.getLastModifiedTime().toMillis() / 1000, e.getName());
      }
      assertEquals(01777, byName.get("tmp/").getMode());
      assertEquals(04755, byName.get("usr/bin/sudo").getMode());
      assertEquals(101, byName.get("var/spool/").getLongUserId());
      assertEquals(102, byName.get("var/spool/").getLongGroupId());
      assertEquals(0750, byName.get("var/spool/").getMode());
      assertTrue(byName.get("usr/bin/sh").isSymbolicLink());
      assertEquals("dash", byName.get("usr/bin/sh").getLinkName());
      assertTrue(byName.get("dev/null").isCharacterDevice());
      assertEquals(1, byName.get("dev/null").getDevMajor());
      assertEquals(3, byName.get("dev/null").getDevMinor());
      assertTrue(byName.get("dev/initctl").isFIFO());
      assertEquals(Map.of("SCHILY.xattr.security.capability", "caps", "SCHILY.xattr.user.note", "hello"),
          byName.get("usr/bin/ping").getExtraPaxHeaders());
      assertEquals("slim\n", new String(contents.get(names.indexOf("etc/hostname")), StandardCharsets.UTF_8));

      // The image's first name (/z/original) is not kept: the first kept name carries the bytes.
      TarArchiveEntry first = byName.get("etc/link-b");
      assertTrue(first.isFile());
      assertEquals("SHARED-BYTES", new String(contents.get(names.indexOf("etc/link-b")), StandardCharsets.UTF_8));
      assertTrue(byName.get("usr/bin/link-a").isLink());
      assertEquals("etc/link-b", byName.get("usr/bin/link-a").getLinkName());

      long expectedContent = "slim\n".length() + "SHARED-BYTES".length() + 4 + 4 + 4;
      assertEquals(expectedContent, blob.contentBytes());
      assertEquals(Files.size(blob.file()), blob.size());
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(blob.file()));
      assertEquals("sha256:" + HexFormat.of().formatHex(digest), blob.diffId().toString());
    }
  }

  @Test
  void outputReadsBackAsTheSameFilesystem() throws Exception {
    try (var fs = image()) {
      LayerBlob blob = new LayerTarWriter(fs).write(KEPT, tmp.resolve("out.tar"));
      try (var slim = LayeredImageFilesystem.open(List.of(blob.file()))) {
        for (FileEntry kept : slim.entries()) {
          FileEntry original = fs.entry(kept.path()).orElseThrow();
          if (kept.type() != EntryType.HARDLINK && original.type() != EntryType.HARDLINK) {
            assertEquals(original.type(), kept.type(), kept.path().toString());
            assertEquals(original.size(), kept.size(), kept.path().toString());
          }
          assertEquals(original.mode(), kept.mode(), kept.path().toString());
          assertEquals(original.uid(), kept.uid(), kept.path().toString());
          assertEquals(original.mtimeEpochSeconds(), kept.mtimeEpochSeconds(), kept.path().toString());
          if (original.type() == EntryType.SYMLINK) {
            assertEquals(original.symlinkTarget(), kept.symlinkTarget(), kept.path().toString());
          }
          assertEquals(original.xattrs(), kept.xattrs(), kept.path().toString());
        }
        assertEquals("SHARED-BYTES", new String(slim.open(slim.entry(p("/usr/bin/link-a")).orElseThrow()).readAllBytes(),
            StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void sameInputGivesByteIdenticalOutput() throws Exception {
    try (var fs = image()) {
      LayerBlob first = new LayerTarWriter(fs).write(KEPT, tmp.resolve("a.tar"));
      List<UnixPath> shuffled = new ArrayList<>(KEPT);
      java.util.Collections.reverse(shuffled);
      LayerBlob second = new LayerTarWriter(fs).write(shuffled, tmp.resolve("b.tar"));
      assertEquals(first.diffId(), second.diffId());
      assertArrayEquals(Files.readAllBytes(first.file()), Files.readAllBytes(second.file()));
    }
    try (var reopened = image()) {
      LayerBlob third = new LayerTarWriter(reopened).write(KEPT, tmp.resolve("c.tar"));
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a.tar")), Files.readAllBytes(third.file()));
    }
  }

  @Test
  void rejectsSetsWithoutParentsOrWithUnknownPaths() throws Exception {
    try (var fs = image()) {
      var writer = new LayerTarWriter(fs);
      var noParent = assertThrows(IllegalArgumentException.class,
          () -> writer.write(paths("/usr", "/usr/bin/sudo"), tmp.resolve("x.tar")));
      assertEquals("kept path '/usr/bin/sudo' has no parent directory '/usr/bin' in the kept set", noParent.getMessage());
      var unknown = assertThrows(IllegalArgumentException.class,
          () -> writer.write(paths("/nope"), tmp.resolve("y.tar")));
      assertEquals("kept path '/nope' is not in the image", unknown.getMessage());
    }
  }

  @Test
  void namesLinkTargetsAndXattrsAreWrittenAsTheBytesTheImageHolds() throws Exception {
    Path layer = Files.write(tmp.resolve("bytes.tar"), io.minify.tar.TarWriterTest.sample());
    try (var fs = LayeredImageFilesystem.open(List.of(layer))) {
      List<UnixPath> all = fs.entries().stream().map(FileEntry::path).toList();
      LayerBlob blob = new LayerTarWriter(fs).write(all, tmp.resolve("slim.tar"));
      Map<UnixPath, io.minify.tar.TarHeader> written = new java.util.HashMap<>();
      try (var in = Files.newInputStream(blob.file())) {
        io.minify.tar.TarReader reader = new io.minify.tar.TarReader(in);
        io.minify.tar.TarHeader h;
        while ((h = reader.next()) != null) {
          written.put(UnixPath.ofEntryName(h.name()).orElseThrow(), h);
        }
      }
      UnixPath bad = UnixPath.ofEntryName(io.minify.tar.TarWriterTest.BAD_NAME).orElseThrow();
      assertTrue(written.containsKey(bad), written.keySet().toString());
      assertEquals(fs.entry(p("/data")).orElseThrow().xattrs(), written.get(p("/data")).xattrs());
      assertEquals(2, written.get(p("/data")).xattrs().size(), "ACL and default ACL");
      assertArrayEquals(io.minify.tar.TarWriterTest.CAP_SETUID,
          written.get(p("/data/cap-tool")).xattrs().list().get(0).value());
      assertArrayEquals(new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'}, written.get(p("/data/symlink")).linkName());
      // the first kept name of the inode (path order) carries the bytes, the other links to it
      assertArrayEquals(io.minify.tar.TarWriterTest.BAD_NAME, written.get(p("/data/link-to-bad")).linkName());
      assertEquals(io.minify.tar.TarHeader.FIFO, written.get(p("/data/fifo")).typeFlag());
      assertEquals(5, written.get(p("/data/zero")).devMinor());
    }
  }

  /** Cuts every file holding "SHARED" to those six bytes: a rewrite that saves bytes. */
  private static ContentRewriter sharedCutter(LayeredImageFilesystem fs, List<UnixPath> asked) {
    return file -> {
      asked.add(file.path());
      byte[] content;
      try (var in = fs.open(file)) {
        content = in.readAllBytes();
      }
      if (!new String(content, StandardCharsets.UTF_8).startsWith("SHARED")) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new ContentRewriter.Rewrite() {
        @Override
        public long size() {
          return 6;
        }

        @Override
        public void write(java.io.InputStream original, java.io.OutputStream out) throws java.io.IOException {
          out.write(original.readNBytes(6));
        }
      });
    };
  }

  @Test
  void rewrittenContentIsCarriedByTheFirstNameOfAnInodeAndCounted() throws Exception {
    try (var fs = image()) {
      List<UnixPath> asked = new ArrayList<>();
      LayerBlob blob = new LayerTarWriter(fs).write(KEPT, Map.of(), sharedCutter(fs, asked), tmp.resolve("cut.tar"));
      // each content once, by the FILE entry holding it; a hardlink's later name is not asked about
      assertEquals(5, asked.size(), asked.toString());
      assertEquals(1, asked.stream().filter(p("/z/original")::equals).count(), asked.toString());
      List<byte[]> contents = new ArrayList<>();
      List<TarArchiveEntry> entries = readEntries(blob.file(), contents);
      List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
      assertEquals("SHARED", new String(contents.get(names.indexOf("etc/link-b")), StandardCharsets.UTF_8));
      assertEquals(6, entries.get(names.indexOf("etc/link-b")).getSize());
      assertTrue(entries.get(names.indexOf("usr/bin/link-a")).isLink());
      assertEquals("etc/link-b", entries.get(names.indexOf("usr/bin/link-a")).getLinkName());
      assertEquals("slim\n", new String(contents.get(names.indexOf("etc/hostname")), StandardCharsets.UTF_8));
      assertEquals(1, blob.rewrittenFiles());
      assertEquals("SHARED-BYTES".length() - 6, blob.rewriteSaved());
      assertEquals("slim\n".length() + 6 + 4 + 4 + 4, blob.contentBytes());
      LayerBlob again = new LayerTarWriter(fs).write(KEPT, Map.of(), sharedCutter(fs, new ArrayList<>()),
          tmp.resolve("cut-again.tar"));
      assertEquals(blob.diffId(), again.diffId(), "the same rewrite gives the same layer");
      LayerBlob plain = new LayerTarWriter(fs).write(KEPT, tmp.resolve("plain.tar"));
      assertEquals(0, plain.rewrittenFiles());
      assertEquals(0, plain.rewriteSaved());
    }
  }

  private static List<UnixPath> paths(String... paths) {
    return java.util.Arrays.stream(paths).map(UnixPath::of).toList();
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
