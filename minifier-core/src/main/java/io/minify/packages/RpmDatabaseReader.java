package io.minify.packages;

import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads rpm's sqlite database (rpm 4.16 and later: Fedora 33+, RHEL and UBI 9, Amazon Linux
 * 2023): table {@code Packages(hnum INTEGER PRIMARY KEY, blob BLOB)}, one header blob per
 * installed package (see {@link RpmHeader}), read with {@link SqliteTableReader} so no JDBC
 * driver is needed. The file is at {@code /var/lib/rpm/rpmdb.sqlite}, or where newer Fedora
 * keeps it, {@code /usr/lib/sysimage/rpm/rpmdb.sqlite} (its /var/lib/rpm is a symlink there).
 *
 * <p>The Berkeley DB ({@code Packages}) and ndb ({@code Packages.db}) databases of older
 * releases and SUSE are not read: such an image has no database as far as minify can tell.
 * Neither is a write-ahead log: rpm checkpoints and truncates it when a transaction ends, so
 * a non-empty {@code rpmdb.sqlite-wal} means the file alone is not the database, and reading
 * it anyway would be wrong without saying so; that is an error.
 */
final class RpmDatabaseReader {
  static final List<UnixPath> LOCATIONS = List.of(UnixPath.of("/var/lib/rpm/rpmdb.sqlite"),
      UnixPath.of("/usr/lib/sysimage/rpm/rpmdb.sqlite"));
  /** A full Fedora install's database is some 100 MiB; a container's a few dozen at most. */
  static final long MAX_DATABASE_BYTES = 512L << 20;
  /** rpm refuses headers over 256 MiB of data; real ones are at most a few MiB. */
  static final long MAX_HEADER_BYTES = 64L << 20;
  /**
   * Bounds the bytes of all listed paths: a real header also stores a digest, a mode, a size,
   * an owner per file, so its paths take less than the database does; four times that is
   * only reached by a blob crafted to name one long directory over and over.
   */
  private static final long PATH_BYTES_PER_DATABASE_BYTE = 4;
  private static final String TABLE = "Packages";

  private RpmDatabaseReader() {}

  /** The database file found and the packages it lists, in the table's order (hnum). */
  record Contents(UnixPath path, List<RpmHeader> headers) {
    Contents {
      headers = List.copyOf(headers);
    }
  }

  static Optional<PackageDatabase> read(ImageFilesystem fs) throws IOException {
    Optional<Contents> contents = readContents(fs);
    if (contents.isEmpty() || contents.get().headers().isEmpty()) {
      return Optional.empty();
    }
    List<InstalledPackage> packages = new ArrayList<>();
    List<List<UnixPath>> listed = new ArrayList<>();
    for (RpmHeader header : contents.get().headers()) {
      packages.add(header.pkg());
      listed.add(header.files());
    }
    return Optional.of(PackageDatabase.index(PackageDatabase.Kind.RPM, packages, listed, fs));
  }

  /** The first database of {@link #LOCATIONS} the image has, parsed; empty when it has none. */
  static Optional<Contents> readContents(ImageFilesystem fs) throws IOException {
    for (UnixPath location : LOCATIONS) {
      Optional<byte[]> bytes = PackageDatabase.readFile(fs, location, MAX_DATABASE_BYTES);
      if (bytes.isPresent()) {
        checkNoWriteAheadLog(fs, location);
        return Optional.of(new Contents(location, headers(location.toString(), bytes.get())));
      }
    }
    return Optional.empty();
  }

  /** The header of every row of the Packages table of database file {@code bytes}. */
  static List<RpmHeader> headers(String name, byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      return List.of(); // SQLite's empty database: no table yet, no package
    }
    SqliteTableReader db = SqliteTableReader.open(name, bytes, MAX_HEADER_BYTES);
    int root = db.rootPageOf(TABLE)
        .orElseThrow(() -> new IOException(name + ": page 1: the schema has no " + TABLE + " table"));
    List<RpmHeader> headers = new ArrayList<>();
    long[] pathBudget = {PATH_BYTES_PER_DATABASE_BYTE * bytes.length};
    db.scanTable(root, (rowid, values) -> {
      // hnum is the rowid (an INTEGER PRIMARY KEY is stored as NULL in the record)
      if (values.size() < 2 || !(values.get(1) instanceof SqliteTableReader.Blob blob)) {
        throw new IOException(name + ": row " + rowid + " of " + TABLE + " holds no header blob");
      }
      RpmHeader header = RpmHeader.parse(blob.bytes(), name + ": row " + rowid, pathBudget[0]);
      for (UnixPath file : header.files()) {
        pathBudget[0] -= file.byteLength();
      }
      headers.add(header);
    });
    return headers;
  }

  private static void checkNoWriteAheadLog(ImageFilesystem fs, UnixPath database) throws IOException {
    byte[] name = database.name();
    byte[] walName = Arrays.copyOf(name, name.length + 4);
    System.arraycopy(new byte[] {'-', 'w', 'a', 'l'}, 0, walName, name.length, 4);
    UnixPath wal = database.parent().child(walName);
    PathResolution r = fs.resolve(wal);
    Optional<FileEntry> entry = r.exists() ? fs.entry(r.resolved()).filter(FileEntry::hasContent) : Optional.empty();
    if (entry.isEmpty()) {
      return;
    }
    try (InputStream in = fs.open(entry.get())) {
      if (in.read() >= 0) {
        throw new IOException(wal + " is not empty: the database's latest changes are in a write-ahead log, "
            + "which this reader does not apply");
      }
    }
  }
}
