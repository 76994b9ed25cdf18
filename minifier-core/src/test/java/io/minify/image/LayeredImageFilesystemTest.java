package io.minify.image;

import io.minify.path.UnixPath;
import io.minify.tar.Xattrs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredImageFilesystemTest {
  @TempDir
  Path tmp;

  private LayeredImageFilesystem open(TestLayer... layers) throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      files.add(layers[i].writeTo(tmp.resolve("layer" + i + ".tar")));
    }
    return LayeredImageFilesystem.open(files);
  }

  private static String read(ImageFilesystem fs, String path) throws IOException {
    try (InputStream in = fs.open(fs.entry(p(path)).orElseThrow())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> paths(ImageFilesystem fs) {
    return fs.entries().stream().map(e -> e.path().toString()).toList();
  }

  @Test
  void normalizesNamesAndKeepsMetadata() throws Exception {
    try (var fs = open(new TestLayer().dir("./").dir("./etc/", 0700, 5, 6).file("/etc/a.conf", "alpha")
        .file("etc//b", "beta".getBytes(StandardCharsets.UTF_8), 04755, Map.of("user.k", "v")))) {
      assertEquals(List.of("/", "/etc", "/etc/a.conf", "/etc/b"), paths(fs));
      FileEntry etc = fs.entry(p("/etc")).orElseThrow();
      assertEquals(EntryType.DIRECTORY, etc.type());
      assertEquals(0700, etc.mode());
      assertEquals(5, etc.uid());
      assertEquals(6, etc.gid());
      assertEquals(1_700_000_000L, etc.mtimeEpochSeconds());
      FileEntry b = fs.entry(p("/etc/b")).orElseThrow();
      assertEquals(04755, b.mode());
      assertEquals(Xattrs.builder().put(utf8("user.k"), utf8("v")).build(), b.xattrs());
      assertEquals(4, b.size());
      assertEquals("alpha", read(fs, "/etc/a.conf"));
      assertEquals("beta", read(fs, "/etc/b"));
      assertEquals(9, fs.contentBytes());
    }
  }

  @Test
  void synthesizesMissingParentDirectories() throws Exception {
    try (var fs = open(new TestLayer().file("a/b/c", "x"))) {
      assertEquals(List.of("/a", "/a/b", "/a/b/c"), paths(fs));
      assertEquals(0755, fs.entry(p("/a/b")).orElseThrow().mode());
    }
  }

  @Test
  void whiteoutRemovesEntryAndSubtreeOfLowerLayers() throws Exception {
    try (var fs = open(
        new TestLayer().dir("d").dir("d/sub").file("d/sub/x", "1").file("d-keep", "2").file("d/y", "3"),
        new TestLayer().whiteout("d/sub").whiteout("d-keep").whiteout("d/missing"))) {
      assertEquals(List.of("/d", "/d/y"), paths(fs));
      assertEquals(1, fs.contentBytes());
    }
  }

  @Test
  void whiteoutDoesNotRemoveSameLayerEntries() throws Exception {
    try (var fs = open(new TestLayer().file("f", "old"), new TestLayer().file("f", "new").whiteout("f"))) {
      assertEquals("new", read(fs, "/f"));
    }
  }

  @Test
  void opaqueDirectoryHidesOnlyLowerChildren() throws Exception {
    try (var fs = open(
        new TestLayer().dir("d").file("d/old", "1").dir("d/sub").file("d/sub/deep", "2").file("other", "3"),
        new TestLayer().dir("d").file("d/new", "4").file("d/sub/fresh", "5").opaque("d"))) {
      assertEquals(List.of("/d", "/d/new", "/d/sub", "/d/sub/fresh", "/other"), paths(fs));
      assertEquals(1, fs.entry(p("/d/sub")).orElseThrow().layerIndex());
    }
  }

  @Test
  void fileReplacingDirectoryDropsSubtreeAndDirectoryReplacesFile() throws Exception {
    try (var fs = open(
        new TestLayer().dir("a").file("a/x", "1").file("b", "2"),
        new TestLayer().file("a", "now a file").dir("b").file("b/y", "3"))) {
      assertEquals(List.of("/a", "/b", "/b/y"), paths(fs));
      assertEquals(EntryType.FILE, fs.entry(p("/a")).orElseThrow().type());
      assertTrue(fs.entry(p("/b")).orElseThrow().isDirectory());
      assertEquals("now a file", read(fs, "/a"));
    }
  }

  @Test
  void laterLayerReplacesContent() throws Exception {
    try (var fs = open(new TestLayer().file("f", "one"), new TestLayer().file("f", "two!"))) {
      assertEquals("two!", read(fs, "/f"));
      assertEquals(1, fs.entry(p("/f")).orElseThrow().layerIndex());
      assertEquals(4, fs.contentBytes());
    }
  }

  @Test
  void hardlinksReadTheirTargetAndCountOnce() throws Exception {
    try (var fs = open(new TestLayer().dir("bin").file("bin/perl5", "PERL").hardlink("bin/perl", "./bin/perl5"))) {
      FileEntry link = fs.entry(p("/bin/perl")).orElseThrow();
      assertEquals(EntryType.HARDLINK, link.type());
      assertEquals(p("/bin/perl5"), link.hardlinkTarget());
      assertEquals("PERL", read(fs, "/bin/perl"));
      assertEquals(4, fs.contentBytes());
    }
  }

  @Test
  void hardlinkSurvivesItsTargetBeingReplaced() throws Exception {
    try (var fs = open(
        new TestLayer().file("t", "shared").hardlink("z1", "t").hardlink("z2", "t"),
        new TestLayer().file("t", "replaced"))) {
      assertEquals("replaced", read(fs, "/t"));
      assertEquals(EntryType.FILE, fs.entry(p("/z1")).orElseThrow().type());
      assertEquals("shared", read(fs, "/z1"));
      FileEntry z2 = fs.entry(p("/z2")).orElseThrow();
      assertEquals(EntryType.HARDLINK, z2.type());
      assertEquals(p("/z1"), z2.hardlinkTarget());
      assertEquals("shared", read(fs, "/z2"));
    }
  }

  @Test
  void rejectsDotDotEntryNames() throws Exception {
    var e = assertThrows(ImageFormatException.class, () -> open(new TestLayer().file("../etc/passwd", "x")));
    assertEquals("layer 0 (layer0.tar): entry '../etc/passwd' has a '..' component", e.getMessage());
    var inner = assertThrows(ImageFormatException.class, () -> open(new TestLayer().file("a/../../b", "x")));
    assertEquals("layer 0 (layer0.tar): entry 'a/../../b' has a '..' component", inner.getMessage());
  }

  @Test
  void rejectsEscapingHardlinks() throws Exception {
    var dotDot = assertThrows(ImageFormatException.class,
        () -> open(new TestLayer().file("a", "x").hardlink("b", "../../etc/shadow")));
    assertEquals("layer 0 (layer0.tar): hardlink 'b' has a target with a '..' component: '../../etc/shadow'",
        dotDot.getMessage());
    var missing = assertThrows(ImageFormatException.class, () -> open(new TestLayer().hardlink("b", "nope")));
    assertEquals("layer 0 (layer0.tar): hardlink 'b' points to missing entry 'nope'", missing.getMessage());
  }

  @Test
  void anAbsoluteHardlinkTargetIsTheImagesOwnEntry() throws Exception {
    try (LayeredImageFilesystem fs = open(new TestLayer().dir("etc").file("etc/shadow", "image's own")
        .hardlink("b", "/etc/shadow"))) {
      FileEntry link = fs.entry(UnixPath.of("/b")).orElseThrow();
      try (var in = fs.open(link)) {
        assertEquals("image's own", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    var missing = assertThrows(ImageFormatException.class, () -> open(new TestLayer().hardlink("b", "/etc/none")));
    assertEquals("layer 0 (layer0.tar): hardlink 'b' points to missing entry '/etc/none'", missing.getMessage());
  }

  @Test
  void rejectsNonTarLayer() throws Exception {
    Path junk = tmp.resolve("junk.tar");
    java.nio.file.Files.write(junk, "this is not a tar archive at all".repeat(40).getBytes(StandardCharsets.UTF_8));
    var e = assertThrows(ImageFormatException.class, () -> LayeredImageFilesystem.open(List.of(junk)));
    assertTrue(e.getMessage().startsWith("layer 0 (junk.tar) is not a readable tar"), e.getMessage());
  }

  @Test
  void symlinkTargetsAreDataNotRejected() throws Exception {
    try (var fs = open(new TestLayer().symlink("evil", "../../../../etc/shadow").symlink("abs", "/etc/shadow"))) {
      assertEquals(SymlinkTarget.of("../../../../etc/shadow"), fs.entry(p("/evil")).orElseThrow().symlinkTarget());
      PathResolution r = fs.resolve("/evil");
      assertFalse(r.exists());
      assertEquals(p("/etc/shadow"), r.resolved()); // ".." stops at the image root
    }
  }

  private LayeredImageFilesystem mergedUsrImage() throws Exception {
    return open(new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").dir("usr/lib/x86_64-linux-gnu").dir("usr/lib64").dir("etc")
        .symlink("bin", "usr/bin").symlink("lib", "usr/lib").symlink("lib64", "usr/lib64")
        .file("usr/lib/x86_64-linux-gnu/libc.so.6", "LIBC")
        .symlink("usr/lib64/ld-linux-x86-64.so.2", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        .file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "LD")
        .symlink("etc/alternatives", "/usr/lib/x86_64-linux-gnu")
        .symlink("usr/bin/chain1", "chain2").symlink("usr/bin/chain2", "/lib64/ld-linux-x86-64.so.2")
        .symlink("usr/bin/loop1", "loop2").symlink("usr/bin/loop2", "loop1")
        .symlink("usr/bin/dangling", "nothing-here")
        .symlink("usr/bin/up", "../../../../../usr/lib")
        .symlink("usr/bin/self", ".")
        .file("usr/bin/plain", "x"));
  }

  @Test
  void resolvesRelativeAbsoluteAndChainedSymlinks() throws Exception {
    try (var fs = mergedUsrImage()) {
      PathResolution ld = fs.resolve("/lib64/ld-linux-x86-64.so.2");
      assertTrue(ld.exists());
      assertEquals(p("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), ld.resolved());
      assertEquals(paths("/lib64", "/usr/lib64/ld-linux-x86-64.so.2"), ld.symlinks());

      PathResolution chained = fs.resolve("/bin/chain1");
      assertTrue(chained.exists());
      assertEquals(p("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), chained.resolved());
      assertEquals(paths("/bin", "/usr/bin/chain1", "/usr/bin/chain2", "/lib64", "/usr/lib64/ld-linux-x86-64.so.2"), chained.symlinks());

      PathResolution absoluteDir = fs.resolve("/etc/alternatives/libc.so.6");
      assertTrue(absoluteDir.exists());
      assertEquals(p("/usr/lib/x86_64-linux-gnu/libc.so.6"), absoluteDir.resolved());
    }
  }

  @Test
  void dotDotIsPhysicalAndStopsAtRoot() throws Exception {
    try (var fs = mergedUsrImage()) {
      PathResolution viaLink = fs.resolve("/lib/../bin/plain");
      assertTrue(viaLink.exists());
      assertEquals(p("/usr/bin/plain"), viaLink.resolved()); // /lib is /usr/lib, so ".." is /usr
      PathResolution up = fs.resolve("/usr/bin/up/x86_64-linux-gnu/libc.so.6");
      assertTrue(up.exists());
      assertEquals(p("/usr/lib/x86_64-linux-gnu/libc.so.6"), up.resolved());
      assertEquals("/", fs.resolve("/../../..").resolved().toString());
      assertTrue(fs.resolve("/../../..").exists());
      assertEquals("/usr/bin/plain", fs.resolve("/usr/bin/self/self/plain").resolved().toString());
    }
  }

  @Test
  void loopsDanglingLinksAndFilesUsedAsDirectoriesDoNotExist() throws Exception {
    try (var fs = mergedUsrImage()) {
      PathResolution loop = fs.resolve("/usr/bin/loop1");
      assertFalse(loop.exists());
      assertEquals(paths("/usr/bin/loop1", "/usr/bin/loop2"), loop.symlinks());
      PathResolution dangling = fs.resolve("/bin/dangling");
      assertFalse(dangling.exists());
      assertEquals(p("/usr/bin/nothing-here"), dangling.resolved());
      assertEquals(paths("/bin", "/usr/bin/dangling"), dangling.symlinks());
      assertFalse(fs.resolve("/usr/bin/plain/x").exists());
      assertFalse(fs.resolve("/nope/deeper").exists());
    }
  }

  @Test
  void entryLookupDoesNotFollowSymlinks() throws Exception {
    try (var fs = mergedUsrImage()) {
      assertEquals(EntryType.SYMLINK, fs.entry(p("/lib")).orElseThrow().type());
      assertEquals(SymlinkTarget.of("usr/lib"), fs.entry(p("/lib/")).orElseThrow().symlinkTarget());
      assertTrue(fs.entry(p("/lib/x86_64-linux-gnu/libc.so.6")).isEmpty());
    }
  }

  @Test
  void devicesAndFifos() throws Exception {
    try (var fs = open(new TestLayer().dir("dev").charDevice("dev/null", 1, 3).fifo("dev/pipe"))) {
      FileEntry nullDev = fs.entry(p("/dev/null")).orElseThrow();
      assertEquals(EntryType.CHAR_DEVICE, nullDev.type());
      assertEquals(1, nullDev.devMajor());
      assertEquals(3, nullDev.devMinor());
      assertEquals(EntryType.FIFO, fs.entry(p("/dev/pipe")).orElseThrow().type());
      assertThrows(IllegalArgumentException.class, () -> fs.open(nullDev));
    }
  }

  @Test
  void readsBinaryContentAcrossLayers() throws Exception {
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    try (var fs = open(new TestLayer().file("a", "A"), new TestLayer().file("big", big, 0644, Map.of()))) {
      try (InputStream in = fs.open(fs.entry(p("/big")).orElseThrow())) {
        assertArrayEquals(big, in.readAllBytes());
      }
    }
  }

  @Test
  void sparseFilesReadBackWithTheirHoles() throws Exception {
    for (String format : List.of("gnu", "pax-0.0", "pax-0.1", "pax-1.0")) {
      Path layer = Files.write(tmp.resolve(format + ".tar"), io.minify.tar.TarReaderTest.sparseFixture(format));
      try (var fs = LayeredImageFilesystem.open(List.of(layer))) {
        FileEntry sparse = fs.entry(p("/sparse.bin")).orElseThrow();
        assertEquals(300_000, sparse.size(), format);
        try (InputStream in = fs.open(sparse)) {
          assertArrayEquals(io.minify.tar.TarReaderTest.sparseContent(), in.readAllBytes(), format);
        }
      }
    }
  }

  @Test
  void namesLinkTargetsAndXattrsStayBytes() throws Exception {
    Path layer = Files.write(tmp.resolve("bytes.tar"), io.minify.tar.TarWriterTest.sample());
    try (var fs = LayeredImageFilesystem.open(List.of(layer))) {
      byte[] bad = io.minify.tar.TarWriterTest.BAD_NAME;
      UnixPath badPath = UnixPath.ofEntryName(bad).orElseThrow();
      assertEquals("/data/bad\\xff.txt", badPath.toString());
      assertEquals("bytes", read(fs, badPath));
      assertEquals(badPath, fs.entry(p("/data/link-to-bad")).orElseThrow().hardlinkTarget());
      assertArrayEquals(new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'},
          fs.entry(p("/data/symlink")).orElseThrow().symlinkTarget().bytes());
      assertTrue(fs.resolve(p("/data/symlink")).exists(), "a link to a non-UTF-8 name resolves");
      assertArrayEquals(io.minify.tar.TarWriterTest.ACL,
          fs.entry(p("/data")).orElseThrow().xattrs().list().get(0).value());
      assertArrayEquals(io.minify.tar.TarWriterTest.CAP_SETUID,
          fs.entry(p("/data/cap-tool")).orElseThrow().xattrs().list().get(0).value());
    }
  }

  private static String read(ImageFilesystem fs, UnixPath path) throws IOException {
    try (InputStream in = fs.open(fs.entry(path).orElseThrow())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<UnixPath> paths(String... paths) {
    return java.util.Arrays.stream(paths).map(UnixPath::of).toList();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
