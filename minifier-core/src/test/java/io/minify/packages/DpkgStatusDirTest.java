package io.minify.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distroless's dpkg database: one stanza file per package under status.d, maybe with md5sums. */
class DpkgStatusDirTest {
  @TempDir
  Path dir;

  // as distroless writes them: no Status line; a continuation line and a trailing blank line
  private static final String LIBC = """
      Package: libc6
      Version: 2.36-9+deb12u7
      Architecture: amd64
      Source: glibc
      Installed-Size: 12000
      Description: GNU C Library: Shared libraries
       Contains the standard libraries that are used by nearly all programs.

      """;
  private static final String TZDATA = "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
  private static final String BASE_FILES = "Package: base-files\nVersion: 12.4+deb12u6\nArchitecture: amd64\n";
  private static final String NETBASE = "Package: netbase\nVersion: 6.4\nArchitecture: all\n";
  private static final String REMOVED = "Package: removed\nStatus: deinstall ok config-files\nVersion: 1\n";
  // merged /usr: the package lists lib/..., the image holds usr/lib/...
  private static final String LIBC_MD5SUMS = "0123456789abcdef0123456789abcdef  lib/x86_64-linux-gnu/libc.so.6\n"
      + "fedcba9876543210fedcba9876543210  lib/x86_64-linux-gnu/libm.so.6\n"
      + "00112233445566778899aabbccddeeff  usr/share/doc/libc6/copyright\n";
  private static final String TZDATA_MD5SUMS = "aaaabbbbccccddddeeeeffff00001111  usr/share/zoneinfo/UTC\n";

  private TestLayer base() throws Exception {
    return new TestLayer()
        .dir("usr").dir("usr/lib").dir("usr/lib/x86_64-linux-gnu").symlink("lib", "usr/lib")
        .file("usr/lib/x86_64-linux-gnu/libc.so.6", "libc").file("usr/lib/x86_64-linux-gnu/libm.so.6", "libm")
        .dir("usr/share").dir("usr/share/doc").dir("usr/share/doc/libc6").file("usr/share/doc/libc6/copyright", "c")
        .dir("usr/share/zoneinfo").file("usr/share/zoneinfo/UTC", "utc")
        .dir("etc").file("etc/os-release", "ID=debian\n")
        .dir("var").dir("var/lib").dir("var/lib/dpkg").dir("var/lib/dpkg/status.d");
  }

  private LayeredImageFilesystem distroless() throws Exception {
    TestLayer layer = base()
        .file("var/lib/dpkg/status.d/libc6", LIBC).file("var/lib/dpkg/status.d/libc6.md5sums", LIBC_MD5SUMS)
        .file("var/lib/dpkg/status.d/tzdata", TZDATA).file("var/lib/dpkg/status.d/tzdata.md5sums", TZDATA_MD5SUMS)
        .file("var/lib/dpkg/status.d/base-files", BASE_FILES)
        .file("var/lib/dpkg/status.d/netbase", NETBASE)
        .file("var/lib/dpkg/status.d/removed", REMOVED);
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("distroless.tar"))));
  }

  private static List<String> names(PackageDatabase db) {
    return db.packages().stream().map(InstalledPackage::name).toList();
  }

  private static Set<UnixPath> paths(String... paths) {
    Set<UnixPath> set = new TreeSet<>();
    for (String p : paths) {
      set.add(UnixPath.of(p));
    }
    return set;
  }

  @Test
  void stanzasAndMd5sumsAreReadWithMergedUsrResolved() throws Exception {
    try (var fs = distroless()) {
      PackageDatabase db = PackageDatabase.read(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.DPKG_STATUS_D, db.kind());
      assertEquals("dpkg", db.kind().manager());
      assertEquals(List.of("base-files", "libc6", "netbase", "tzdata"), names(db),
          "no Status line is installed, a Status that says otherwise is not; sorted");
      InstalledPackage libc = db.packages().get(1);
      assertEquals(new InstalledPackage("libc6", "amd64", "2.36-9+deb12u7", 12000 * 1024L), libc);
      assertEquals(Optional.of(libc), db.ownerOf(UnixPath.of("/usr/lib/x86_64-linux-gnu/libc.so.6")),
          "lib/... is /usr/lib/... in a merged-/usr image");
      assertEquals(Optional.of(libc), db.ownerOf(UnixPath.of("/usr/share/doc/libc6")),
          "the directories of a package's files are its, as in a .list");
      assertTrue(db.isOwned(UnixPath.of("/usr/share")));
      assertEquals(Optional.empty(), db.ownerOf(UnixPath.of("/usr/share")), "shared by libc6 and tzdata");
      assertEquals("tzdata", db.ownerOf(UnixPath.of("/usr/share/zoneinfo/UTC")).orElseThrow().name());
      assertFalse(db.isOwned(UnixPath.of("/etc/os-release")), "base-files has no md5sums: nothing of it is known");
      assertEquals(List.of(), db.filesOf(db.packages().get(0)), "a package without md5sums has no files");
      assertFalse(db.isOwned(UnixPath.of("/var/lib/dpkg/status.d/libc6")));
      assertTrue(db.filesOf(libc).contains(UnixPath.of("/usr/lib/x86_64-linux-gnu/libm.so.6")));
    }
  }

  @Test
  void withoutAnyMd5sumsItIsAnInventoryOnly() throws Exception {
    // older distroless images: the packages are known, their files are not
    TestLayer layer = base()
        .file("var/lib/dpkg/status.d/libc6", LIBC).file("var/lib/dpkg/status.d/base-files", BASE_FILES);
    try (var fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("old.tar"))))) {
      assertEquals(Optional.empty(), PackageDatabase.read(fs),
          "no ownership to tell the app's files by: as if there were no database");
      PackageDatabase inventory = PackageDatabase.readInventory(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.DPKG_STATUS_D, inventory.kind());
      assertEquals(List.of("base-files", "libc6"), names(inventory));
      assertFalse(inventory.hasFileLists());
      assertFalse(inventory.isOwned(UnixPath.of("/usr/lib/x86_64-linux-gnu/libc.so.6")));
    }
  }

  @Test
  void aStatusFileIsTheDatabaseWhenThereIsOne() throws Exception {
    TestLayer layer = base()
        .file("var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n")
        .dir("var/lib/dpkg/info").file("var/lib/dpkg/info/libc6:amd64.list", "/lib\n/lib/x86_64-linux-gnu/libc.so.6\n")
        .file("var/lib/dpkg/status.d/tzdata", TZDATA).file("var/lib/dpkg/status.d/tzdata.md5sums", TZDATA_MD5SUMS);
    try (var fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("both.tar"))))) {
      PackageDatabase db = PackageDatabase.read(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.DPKG, db.kind());
      assertEquals(List.of("libc6"), names(db));
      assertEquals(PackageDatabase.Kind.DPKG, PackageDatabaseTrimmer.trim(fs, paths("/usr")).orElseThrow().kind());
    }
  }

  @Test
  void md5sumsLinesAreParsedAsBytes() {
    assertEquals(Optional.of(UnixPath.of("/usr/bin/ls")), DpkgStatusDirReader.md5sumsPath(bytes("abc  usr/bin/ls")));
    assertEquals(Optional.of(UnixPath.of("/usr/bin/ls")), DpkgStatusDirReader.md5sumsPath(bytes("abc *usr/bin/ls")),
        "md5sum's binary mode");
    assertEquals(Optional.of(UnixPath.of("/a b")), DpkgStatusDirReader.md5sumsPath(bytes("abc  a b")),
        "a space inside the path is the path's");
    byte[] latin1 = {'a', ' ', ' ', 'c', 'a', 'f', (byte) 0xe9};
    assertArrayEquals(new byte[] {'/', 'c', 'a', 'f', (byte) 0xe9},
        DpkgStatusDirReader.md5sumsPath(latin1).orElseThrow().bytes(), "not UTF-8, kept as it is");
    assertEquals(Optional.empty(), DpkgStatusDirReader.md5sumsPath(bytes("abc  ../../etc/shadow")),
        "a path climbing out of the image is no path");
    assertEquals(Optional.empty(), DpkgStatusDirReader.md5sumsPath(bytes("abc")));
    assertEquals(Optional.empty(), DpkgStatusDirReader.md5sumsPath(bytes("abc x")));
    assertEquals(Optional.empty(), DpkgStatusDirReader.md5sumsPath(bytes("  usr/bin/ls")));
  }

  @Test
  void trimmingKeepsTheStanzasOfKeptPackagesByteForByte() throws Exception {
    try (LayeredImageFilesystem fs = distroless()) {
      // the app used libc (not libm); tzdata's only file is gone; some rule kept tzdata's stanza
      Set<UnixPath> kept = paths("/usr", "/usr/lib", "/lib", "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/x86_64-linux-gnu/libc.so.6", "/var", "/var/lib", "/var/lib/dpkg", "/var/lib/dpkg/status.d",
          "/var/lib/dpkg/status.d/tzdata");
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, kept).orElseThrow();
      assertEquals(PackageDatabase.Kind.DPKG_STATUS_D, db.kind());
      assertEquals(4, db.packagesInImage(), "installed ones: the deinstalled stanza does not count");
      assertEquals(Set.of("libc6"), db.packagesKept());
      assertEquals(Set.of("base-files", "netbase"), db.packagesUnverified(),
          "without md5sums it is unknown whether their files are kept: they stay, and say so");
      assertEquals(paths("/var/lib/dpkg/status.d/base-files", "/var/lib/dpkg/status.d/libc6",
          "/var/lib/dpkg/status.d/libc6.md5sums", "/var/lib/dpkg/status.d/netbase"), db.contents().keySet());
      assertEquals(LIBC, text(db, "/var/lib/dpkg/status.d/libc6"), "the stanza file as it is, blank line and all");
      assertEquals(BASE_FILES, text(db, "/var/lib/dpkg/status.d/base-files"));
      assertEquals("0123456789abcdef0123456789abcdef  lib/x86_64-linux-gnu/libc.so.6\n",
          text(db, "/var/lib/dpkg/status.d/libc6.md5sums"), "only the kept file's line, as it was");
      assertEquals(paths("/var/lib/dpkg/status.d/removed", "/var/lib/dpkg/status.d/tzdata",
          "/var/lib/dpkg/status.d/tzdata.md5sums"), db.removed(), "a file without an installed package goes too");
      Set<UnixPath> layer = db.layerPaths(kept);
      assertFalse(layer.contains(UnixPath.of("/var/lib/dpkg/status.d/tzdata")));
      assertFalse(layer.contains(UnixPath.of("/var/lib/dpkg/status.d/removed")), "not installed: dropped");
      assertTrue(layer.containsAll(paths("/var/lib/dpkg/status.d/libc6", "/var/lib/dpkg/status.d/netbase")));

      // written into a layer, the database reads back as exactly the kept packages
      Path slim = dir.resolve("slim.tar");
      new LayerTarWriter(fs).write(layer, db.replacedContents(), slim);
      try (LayeredImageFilesystem slimFs = LayeredImageFilesystem.open(List.of(slim))) {
        PackageDatabase read = PackageDatabase.read(slimFs).orElseThrow();
        assertEquals(PackageDatabase.Kind.DPKG_STATUS_D, read.kind());
        assertEquals(List.of("base-files", "libc6", "netbase"), names(read));
        for (InstalledPackage pkg : read.packages()) {
          for (UnixPath file : read.filesOf(pkg)) {
            assertTrue(slimFs.entry(file).isPresent() || file.isRoot(), pkg.name() + " lists " + file
                + ", which the layer must hold");
          }
        }
        assertEquals(LIBC.length(), slimFs.entry(UnixPath.of("/var/lib/dpkg/status.d/libc6")).orElseThrow().size());
      }
    }
  }

  @Test
  void nothingKeptLeavesTheDirectoryAndTheUnverifiedOnly() throws Exception {
    try (LayeredImageFilesystem fs = distroless()) {
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, paths("/usr")).orElseThrow();
      assertEquals(Set.of(), db.packagesKept());
      assertEquals(Set.of("base-files", "netbase"), db.packagesUnverified());
      assertTrue(db.layerPaths(Set.of()).contains(UnixPath.of("/var/lib/dpkg/status.d")),
          "the image stays a dpkg one to a scanner");
      assertFalse(db.contents().containsKey(UnixPath.of("/var/lib/dpkg/status.d/libc6")));
    }
  }

  @Test
  void aStanzaFileOfSeveralPackagesKeepsTheKeptParagraphs() throws Exception {
    // not seen in the wild, but nothing forbids it: paragraphs are kept as with a status file
    TestLayer layer = base()
        .file("var/lib/dpkg/status.d/bundle", LIBC + TZDATA)
        .file("var/lib/dpkg/status.d/libc6.md5sums", LIBC_MD5SUMS)
        .file("var/lib/dpkg/status.d/tzdata.md5sums", TZDATA_MD5SUMS);
    try (var fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("bundle.tar"))))) {
      PackageDatabase read = PackageDatabase.read(fs).orElseThrow();
      assertEquals("tzdata", read.ownerOf(UnixPath.of("/usr/share/zoneinfo/UTC")).orElseThrow().name(),
          "md5sums named after each package");
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, paths("/usr", "/usr/share", "/usr/share/zoneinfo",
          "/usr/share/zoneinfo/UTC")).orElseThrow();
      assertEquals(Set.of("tzdata"), db.packagesKept());
      assertEquals(TZDATA, text(db, "/var/lib/dpkg/status.d/bundle"));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(TrimmedPackageDatabase db, String path) {
    return new String(db.replacedContents().get(UnixPath.of(path)), StandardCharsets.UTF_8);
  }
}
