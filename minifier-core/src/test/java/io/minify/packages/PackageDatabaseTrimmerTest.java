package io.minify.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.pack.LayerTarWriter;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageDatabaseTrimmerTest {
  @TempDir
  Path dir;

  private static final String CURL = """
      Package: curl
      Status: install ok installed
      Architecture: amd64
      Version: 7.88.1-10
      Description: a client
       with a continuation line

      """;
  private static final String LIBC = """
      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Multi-Arch: same
      Version: 2.36-9

      """;
  private static final String TZDATA = """
      Package: tzdata
      Status: install ok installed
      Architecture: all
      Version: 2024a-0

      """;

  private LayeredImageFilesystem dpkgImage() throws Exception {
    TestLayer layer = new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").symlink("bin", "usr/bin").symlink("lib", "usr/lib")
        .file("usr/bin/curl", "curl").file("usr/lib/libc.so.6", "libc").file("usr/lib/libm.so.6", "libm")
        .dir("usr/share").dir("usr/share/zoneinfo").file("usr/share/zoneinfo/UTC", "utc")
        .dir("var").dir("var/lib").dir("var/lib/dpkg").dir("var/lib/dpkg/info")
        .file("var/lib/dpkg/status", CURL + LIBC + TZDATA)
        .file("var/lib/dpkg/info/curl.list", "/.\n/bin\n/bin/curl\n/usr\n")
        .file("var/lib/dpkg/info/curl.md5sums", "abc  usr/bin/curl\n")
        .file("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/libc.so.6\n/lib/libm.so.6\n/usr\n")
        .file("var/lib/dpkg/info/tzdata.list", "/.\n/usr\n/usr/share\n/usr/share/zoneinfo\n/usr/share/zoneinfo/UTC\n");
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("dpkg.tar"))));
  }

  private static Set<UnixPath> paths(String... paths) {
    Set<UnixPath> set = new TreeSet<>();
    for (String p : paths) {
      set.add(UnixPath.of(p));
    }
    return set;
  }

  @Test
  void dpkgKeepsThePackagesWithKeptFilesAndOnlyTheirKeptLines() throws Exception {
    try (LayeredImageFilesystem fs = dpkgImage()) {
      // the app used curl and libc (not libm); tzdata's only file is gone; the whole info
      // directory was kept by some rule, so tzdata's list must go
      Set<UnixPath> kept = paths("/usr", "/usr/bin", "/usr/lib", "/bin", "/lib", "/usr/bin/curl", "/usr/lib/libc.so.6",
          "/usr/share", "/usr/share/zoneinfo", "/var", "/var/lib", "/var/lib/dpkg", "/var/lib/dpkg/info",
          "/var/lib/dpkg/info/tzdata.list");
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, kept).orElseThrow();
      assertEquals(PackageDatabase.Kind.DPKG, db.kind());
      assertEquals(3, db.packagesInImage());
      assertEquals(Set.of("curl", "libc6"), db.packagesKept(), "a shared directory like /usr keeps no package");
      assertEquals(CURL + LIBC, text(db, "/var/lib/dpkg/status"), "kept paragraphs byte for byte, in order");
      assertEquals("/.\n/bin\n/bin/curl\n/usr\n", text(db, "/var/lib/dpkg/info/curl.list"),
          "listed paths are matched after resolving their directory (merged /usr)");
      assertEquals("/.\n/lib\n/lib/libc.so.6\n/usr\n", text(db, "/var/lib/dpkg/info/libc6:amd64.list"));
      assertEquals(paths("/var/lib/dpkg/info/tzdata.list"), db.removed());
      Set<UnixPath> layer = db.layerPaths(kept);
      assertTrue(layer.contains(UnixPath.of("/var/lib/dpkg/status")));
      assertTrue(layer.contains(UnixPath.of("/var/lib/dpkg/info/curl.list")));
      assertFalse(layer.contains(UnixPath.of("/var/lib/dpkg/info/tzdata.list")));
      assertFalse(layer.contains(UnixPath.of("/var/lib/dpkg/info/curl.md5sums")), "only status and lists");

      // written into a layer, the database reads back as exactly the kept packages
      Path slim = dir.resolve("slim.tar");
      new LayerTarWriter(fs).write(layer, db.replacedContents(), slim);
      try (LayeredImageFilesystem slimFs = LayeredImageFilesystem.open(List.of(slim))) {
        PackageDatabase read = PackageDatabase.read(slimFs).orElseThrow();
        assertEquals(List.of("curl", "libc6"), read.packages().stream().map(InstalledPackage::name).toList());
        for (InstalledPackage pkg : read.packages()) {
          for (UnixPath file : read.filesOf(pkg)) {
            assertTrue(slimFs.entry(file).isPresent() || file.isRoot(), pkg.name() + " lists " + file
                + ", which the layer must hold");
          }
        }
        assertEquals((CURL + LIBC).length(), slimFs.entry(UnixPath.of("/var/lib/dpkg/status")).orElseThrow().size());
      }
    }
  }

  @Test
  void nothingKeptLeavesAnEmptyStatus() throws Exception {
    try (LayeredImageFilesystem fs = dpkgImage()) {
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, paths("/usr")).orElseThrow();
      assertEquals(Set.of(), db.packagesKept());
      assertEquals("", text(db, "/var/lib/dpkg/status"));
    }
  }

  @Test
  void apkKeepsKeptFilesWithTheirAttributeAndChecksumLines() throws Exception {
    String busybox = "C:Q1aaa=\nP:busybox\nV:1.36.1-r15\nA:x86_64\nI:900000\nF:bin\nR:busybox\na:0:0:755\nZ:Q1bbb=\n"
        + "R:unused\nZ:Q1ccc=\nF:etc\nM:0:0:755\nR:securetty\nZ:Q1ddd=\n\n";
    String zlib = "C:Q1eee=\nP:zlib\nV:1.3-r0\nA:x86_64\nI:100\nF:lib\nR:libz.so.1\nZ:Q1fff=\n\n";
    TestLayer layer = new TestLayer()
        .dir("bin").file("bin/busybox", "bb").file("bin/unused", "u").dir("etc").file("etc/securetty", "tty")
        .dir("lib").file("lib/libz.so.1", "z")
        .dir("lib/apk").dir("lib/apk/db").file("lib/apk/db/installed", busybox + zlib);
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("apk.tar"))))) {
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, paths("/bin", "/bin/busybox", "/etc")).orElseThrow();
      assertEquals(PackageDatabase.Kind.APK, db.kind());
      assertEquals(Set.of("busybox"), db.packagesKept());
      assertEquals("C:Q1aaa=\nP:busybox\nV:1.36.1-r15\nA:x86_64\nI:900000\nF:bin\nR:busybox\na:0:0:755\nZ:Q1bbb=\n"
          + "F:etc\nM:0:0:755\n\n", text(db, "/lib/apk/db/installed"),
          "a kept directory keeps its F: and M: lines; dropped files lose their R: and Z: lines");
      assertTrue(db.layerPaths(Set.of()).containsAll(paths("/lib", "/lib/apk", "/lib/apk/db", "/lib/apk/db/installed")));
    }
  }

  @Test
  void anImageWithoutADatabaseHasNothingToTrim() throws Exception {
    TestLayer layer = new TestLayer().dir("app").file("app/server", "x");
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("none.tar"))))) {
      assertTrue(PackageDatabaseTrimmer.trim(fs, paths("/app", "/app/server")).isEmpty());
    }
  }

  private static String text(TrimmedPackageDatabase db, String path) {
    return new String(db.replacedContents().get(UnixPath.of(path)), StandardCharsets.UTF_8);
  }
}
