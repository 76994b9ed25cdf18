package io.minify.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageDatabaseTest {

  @TempDir
  Path dir;

  private static final String STATUS = """
      Package: coreutils
      Status: install ok installed
      Installed-Size: 18000
      Architecture: amd64
      Version: 9.1-1
      Description: GNU core utilities
       with a continuation line: Package: not-a-package

      Package: removed-one
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 1

      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Multi-Arch: same
      Version: 2.36-9
      Installed-Size: 12000

      """;

  private LayeredImageFilesystem dpkgImage() throws Exception {
    TestLayer layer = new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").symlink("bin", "usr/bin").symlink("lib", "usr/lib")
        .file("usr/bin/ls", "ls").file("usr/bin/cp", "cp").file("usr/lib/libc.so.6", "libc")
        .dir("usr/share").dir("usr/share/doc").dir("usr/share/doc/coreutils")
        .dir("var").dir("var/lib").dir("var/lib/dpkg").dir("var/lib/dpkg/info")
        .file("var/lib/dpkg/status", STATUS)
        // merged /usr: the lists name /bin and /lib, the files are in /usr
        .file("var/lib/dpkg/info/coreutils.list", "/.\n/bin\n/bin/ls\n/bin/cp\n/usr\n/usr/share\n/usr/share/doc\n"
            + "/usr/share/doc/coreutils\n")
        .file("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/libc.so.6\n/usr\n/usr/share\n/usr/share/doc\n");
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("dpkg.tar"))));
  }

  @Test
  void dpkgOwnershipIsOfTheRealPaths() throws Exception {
    try (var fs = dpkgImage()) {
      PackageDatabase db = PackageDatabase.read(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.DPKG, db.kind());
      assertEquals(List.of("coreutils", "libc6"), db.packages().stream().map(InstalledPackage::name).toList(),
          "installed only, sorted, continuation lines ignored");
      InstalledPackage coreutils = db.packages().get(0);
      assertEquals(18000 * 1024L, coreutils.installedBytes());
      assertEquals("9.1-1", coreutils.version());
      assertEquals(Optional.of(coreutils), db.ownerOf(UnixPath.of("/usr/bin/ls")), "/bin/ls is /usr/bin/ls");
      assertEquals("libc6", db.ownerOf(UnixPath.of("/usr/lib/libc.so.6")).orElseThrow().name(),
          "the list file of a Multi-Arch package is NAME:ARCH.list");
      assertTrue(db.isOwned(UnixPath.of("/usr/share/doc")));
      assertEquals(Optional.empty(), db.ownerOf(UnixPath.of("/usr/share/doc")), "shared by two packages");
      assertEquals(coreutils, db.ownerOf(UnixPath.of("/usr/share/doc/coreutils")).orElseThrow());
      assertFalse(db.isOwned(UnixPath.of("/var/lib/dpkg/status")));
      assertTrue(db.filesOf(coreutils).contains(UnixPath.of("/usr/bin/cp")));
    }
  }

  @Test
  void apkDatabaseIsReadToo() throws Exception {
    String installed = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nI:622592\nF:lib\nR:ld-musl-x86_64.so.1\nR:libc.musl-x86_64.so.1\n"
        + "\nP:busybox\nV:1.36.1-r5\nA:x86_64\nF:bin\nR:busybox\n";
    TestLayer layer = new TestLayer().dir("lib").dir("bin").file("lib/ld-musl-x86_64.so.1", "ld")
        .file("bin/busybox", "bb").dir("lib/apk").dir("lib/apk/db").file("lib/apk/db/installed", installed);
    try (var fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("apk.tar"))))) {
      PackageDatabase db = PackageDatabase.read(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.APK, db.kind());
      assertEquals(List.of("busybox", "musl"), db.packages().stream().map(InstalledPackage::name).toList());
      assertEquals("musl", db.ownerOf(UnixPath.of("/lib/ld-musl-x86_64.so.1")).orElseThrow().name());
      assertEquals(622592, db.ownerOf(UnixPath.of("/lib/ld-musl-x86_64.so.1")).orElseThrow().installedBytes());
      assertEquals("busybox", db.ownerOf(UnixPath.of("/bin/busybox")).orElseThrow().name());
    }
  }

  @Test
  void noDatabaseOrOneWithoutFileListsIsNone() throws Exception {
    TestLayer distroless = new TestLayer().dir("var").dir("var/lib").dir("var/lib/dpkg")
        .file("var/lib/dpkg/status", "Package: base\nStatus: install ok installed\n\n");
    try (var fs = LayeredImageFilesystem.open(List.of(distroless.writeTo(dir.resolve("d.tar"))))) {
      assertEquals(Optional.empty(), PackageDatabase.read(fs));
    }
    try (var fs = LayeredImageFilesystem.open(List.of(new TestLayer().dir("app").writeTo(dir.resolve("s.tar"))))) {
      assertEquals(Optional.empty(), PackageDatabase.read(fs));
    }
  }
}
