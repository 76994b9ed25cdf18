package io.minify.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.pack.LayerTarWriter;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rpm's sqlite database (see make-fixture.py for what the fixtures hold) in synthetic images. */
class RpmDatabaseTest {
  @TempDir
  Path dir;

  private static final UnixPath SYSIMAGE_DB = UnixPath.of("/usr/lib/sysimage/rpm/rpmdb.sqlite");

  /** A Fedora-like merged-/usr image: /lib64 and /bin are links into /usr, /var/lib/rpm one to sysimage. */
  private static TestLayer fedora() throws IOException {
    return new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").dir("usr/lib64").symlink("bin", "usr/bin").symlink("lib64", "usr/lib64")
        .file("usr/bin/bash", "bash").symlink("usr/bin/sh", "bash")
        .file("usr/lib64/libssl.so.3", "ssl").file("usr/lib64/libcrypto.so.3", "crypto")
        .dir("usr/share").dir("usr/share/doc").dir("usr/share/doc/bash").file("usr/share/doc/bash/README", "r")
        .dir("usr/share/doc/openssl")
        .dir("usr/share/i18n").dir("usr/share/i18n/locales").file("usr/share/i18n/locales/de_R00", "de")
        .dir("app").file("app/server", "x")
        .dir("usr/lib/sysimage").dir("usr/lib/sysimage/rpm")
        .dir("var").dir("var/lib").symlink("var/lib/rpm", "../../usr/lib/sysimage/rpm");
  }

  private LayeredImageFilesystem image(String name, TestLayer layer) throws Exception {
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve(name + ".tar"))));
  }

  private LayeredImageFilesystem fedoraWith(byte[] db) throws Exception {
    return image("fedora", fedora().file("usr/lib/sysimage/rpm/rpmdb.sqlite", db, 0644, Map.of()));
  }

  private static InstalledPackage named(PackageDatabase db, String name) {
    return db.packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void packagesAndTheirFilesAreRead() throws Exception {
    try (var fs = fedoraWith(RpmFixture.bytes(RpmFixture.SMALL))) {
      PackageDatabase db = PackageDatabase.read(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.RPM, db.kind());
      assertEquals("rpm", db.kind().manager());
      assertEquals(List.of("bash", "glibc-common", "gpg-pubkey", "openssl-libs"),
          db.packages().stream().map(InstalledPackage::name).toList());
      InstalledPackage bash = named(db, "bash");
      assertEquals(new InstalledPackage("bash", "x86_64", "5.2.26-3.fc40", 8_310_411), bash);
      assertEquals(Optional.of(bash), db.ownerOf(UnixPath.of("/usr/bin/bash")));
      assertEquals(Optional.of(bash), db.ownerOf(UnixPath.of("/usr/bin/sh")), "a symlink a package lists is its");
      assertEquals(Optional.of(bash), db.ownerOf(UnixPath.of("/usr/share/doc/bash")));
      InstalledPackage openssl = named(db, "openssl-libs");
      assertEquals("1:3.2.2-3.fc40", openssl.version(), "the epoch comes first, as rpm prints it");
      assertEquals(Optional.of(openssl), db.ownerOf(UnixPath.of("/usr/lib64/libssl.so.3")),
          "listed as /lib64/libssl.so.3: its directory is resolved in the image");
      UnixPath latin1 = UnixPath.of("/usr/share/doc/openssl").child(new byte[] {'c', 'a', 'f', (byte) 0xe9});
      assertEquals(Optional.of(openssl), db.ownerOf(latin1), "a name that is not UTF-8 is kept as bytes");
      InstalledPackage glibc = named(db, "glibc-common");
      assertEquals(1502, db.filesOf(glibc).size(), "a header read whole from its overflow pages");
      assertTrue(db.filesOf(glibc).contains(UnixPath.of("/usr/share/i18n/locales/ar_R59")), "its last file");
      InstalledPackage key = named(db, "gpg-pubkey");
      assertEquals(new InstalledPackage("gpg-pubkey", "", "a15b79cc-63d04c2c", 0), key);
      assertEquals(List.of(), db.filesOf(key));
      assertFalse(db.isOwned(UnixPath.of("/app/server")));
    }
  }

  @Test
  void theDatabaseIsFoundInVarLibRpmToo() throws Exception {
    // RHEL and UBI 9, Amazon Linux 2023: a directory, no sysimage
    TestLayer layer = new TestLayer().dir("usr").dir("usr/share").dir("var").dir("var/lib").dir("var/lib/rpm")
        .file("var/lib/rpm/rpmdb.sqlite", RpmFixture.bytes(RpmFixture.MANY), 0644, Map.of());
    try (var fs = image("ubi", layer)) {
      PackageDatabase db = PackageDatabase.read(fs).orElseThrow();
      assertEquals(PackageDatabase.Kind.RPM, db.kind());
      assertEquals(300, db.packages().size(), "every row of a table with interior pages");
      assertEquals("pkg-000", db.packages().get(0).name());
      assertEquals("pkg-299", db.packages().get(299).name());
      assertEquals("pkg-150", db.ownerOf(UnixPath.of("/usr/share/pkg-150/data")).orElseThrow().name());
      assertEquals(1150, db.ownerOf(UnixPath.of("/usr/share/pkg-150/README")).orElseThrow().installedBytes());
    }
  }

  @Test
  void rpmComesAfterDpkgAndApk() throws Exception {
    byte[] rpmdb = RpmFixture.bytes(RpmFixture.SMALL);
    TestLayer dpkg = fedora().file("usr/lib/sysimage/rpm/rpmdb.sqlite", rpmdb, 0644, Map.of())
        .dir("var/lib/dpkg").dir("var/lib/dpkg/info")
        .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5\n\n")
        .file("var/lib/dpkg/info/bash.list", "/bin\n/bin/bash\n");
    try (var fs = image("dpkg", dpkg)) {
      assertEquals(PackageDatabase.Kind.DPKG, PackageDatabase.read(fs).orElseThrow().kind());
      assertEquals(PackageDatabase.Kind.DPKG, PackageDatabaseTrimmer.trim(fs, Set.of()).orElseThrow().kind());
    }
    TestLayer apk = fedora().file("usr/lib/sysimage/rpm/rpmdb.sqlite", rpmdb, 0644, Map.of())
        .dir("lib").dir("lib/apk").dir("lib/apk/db").file("lib/apk/db/installed", "P:bash\nV:5\nF:bin\nR:bash\n\n");
    try (var fs = image("apk", apk)) {
      assertEquals(PackageDatabase.Kind.APK, PackageDatabase.read(fs).orElseThrow().kind());
    }
  }

  @Test
  void trimmingCarriesTheDatabaseUnchangedAndSaysWhatItStillLists() throws Exception {
    byte[] rpmdb = RpmFixture.bytes(RpmFixture.SMALL);
    try (var fs = fedoraWith(rpmdb)) {
      Set<UnixPath> kept = new TreeSet<>();
      for (String p : List.of("/usr", "/usr/bin", "/bin", "/usr/bin/bash", "/usr/bin/sh", "/app", "/app/server")) {
        kept.add(UnixPath.of(p));
      }
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(fs, kept).orElseThrow();
      assertEquals(PackageDatabase.Kind.RPM, db.kind());
      assertEquals(4, db.packagesInImage());
      assertEquals(Set.of("bash"), db.packagesKept());
      assertEquals(Set.of("glibc-common", "gpg-pubkey", "openssl-libs"), db.packagesUnverified(),
          "listed by the unchanged database though none of their files is shipped");
      assertEquals(Map.of(), db.contents(), "nothing rewritten: the image's bytes are copied");
      assertEquals(Set.of(), db.removed());
      assertTrue(db.added().containsAll(Set.of(SYSIMAGE_DB, UnixPath.of("/usr/lib/sysimage/rpm"),
          UnixPath.of("/var/lib/rpm"), UnixPath.of("/var/lib"))), "the file, and the link a scanner opens it by");
      assertEquals("RPM database carried unchanged: 1 of 4 packages have kept files, 3 more listed without a kept file",
          db.toString());

      Path slim = dir.resolve("slim.tar");
      new LayerTarWriter(fs).write(db.layerPaths(kept), db.replacedContents(), slim);
      try (LayeredImageFilesystem slimFs = LayeredImageFilesystem.open(List.of(slim))) {
        try (InputStream in = slimFs.open(slimFs.entry(SYSIMAGE_DB).orElseThrow())) {
          assertArrayEquals(rpmdb, in.readAllBytes());
        }
        PackageDatabase read = PackageDatabase.read(slimFs).orElseThrow();
        assertEquals(4, read.packages().size(), "the database is the image's");
        assertEquals("bash", read.ownerOf(UnixPath.of("/usr/bin/bash")).orElseThrow().name());
      }
    }
  }

  @Test
  void anUnappliedWriteAheadLogIsAnError() throws Exception {
    byte[] rpmdb = RpmFixture.bytes(RpmFixture.SMALL);
    try (var fs = image("wal-empty", fedora().file("usr/lib/sysimage/rpm/rpmdb.sqlite", rpmdb, 0644, Map.of())
        .file("usr/lib/sysimage/rpm/rpmdb.sqlite-wal", ""))) {
      assertEquals(PackageDatabase.Kind.RPM, PackageDatabase.read(fs).orElseThrow().kind(), "an empty log is none");
    }
    try (var fs = image("wal", fedora().file("usr/lib/sysimage/rpm/rpmdb.sqlite", rpmdb, 0644, Map.of())
        .file("usr/lib/sysimage/rpm/rpmdb.sqlite-wal", "frames"))) {
      IOException e = assertThrows(IOException.class, () -> PackageDatabase.read(fs));
      assertEquals("/var/lib/rpm/rpmdb.sqlite-wal is not empty: the database's latest changes are in a write-ahead"
          + " log, which this reader does not apply", e.getMessage());
    }
  }

  @Test
  void aBrokenDatabaseInAnImageIsAnIOExceptionNamingIt() throws Exception {
    byte[] rpmdb = RpmFixture.bytes(RpmFixture.SMALL);
    byte[] truncated = Arrays.copyOf(rpmdb, 5000);
    try (var fs = fedoraWith(truncated)) {
      IOException e = assertThrows(IOException.class, () -> PackageDatabase.read(fs));
      assertEquals("/var/lib/rpm/rpmdb.sqlite: truncated: 5000 bytes is not a whole number of 4096-byte pages",
          e.getMessage());
      assertThrows(IOException.class, () -> PackageDatabaseTrimmer.trim(fs, Set.of()));
    }
    byte[] noTable = rpmdb.clone();
    byte[] from = "Packages".getBytes(StandardCharsets.US_ASCII);
    byte[] to = "Packagez".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + from.length <= RpmFixture.PAGE_SIZE; i++) {
      if (Arrays.equals(noTable, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, noTable, i, to.length);
      }
    }
    try (var fs = fedoraWith(noTable)) {
      IOException e = assertThrows(IOException.class, () -> PackageDatabase.read(fs));
      assertEquals("/var/lib/rpm/rpmdb.sqlite: page 1: the schema has no Packages table", e.getMessage());
    }
  }
}
