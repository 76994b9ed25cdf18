package io.minify.packages;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which installed OS package owns which path of an image, read from the image's own package
 * database (dpkg on Debian and Ubuntu, also in the status.d form of distroless images; apk on
 * Alpine; rpm's sqlite database on Fedora, RHEL 9 and Amazon Linux 2023). Used to tell the
 * app's own files from the distribution's, and a package's private directories from shared
 * ones.
 *
 * <p>Paths are those of the image after its symlinks: a Debian package lists
 * {@code /bin/ls}, but in a merged-/usr image that file is {@code /usr/bin/ls}, so the
 * directory part of every listed path is resolved inside the image (never on the host).
 * Immutable once read.
 */
public final class PackageDatabase {
  /** Marks a path listed by more than one package. */
  private static final int SHARED = -1;

  /** Which package manager wrote the database, and in which form. */
  public enum Kind {
    /** {@code /var/lib/dpkg/status} and {@code info/*.list}. */
    DPKG("dpkg"),
    /**
     * {@code /var/lib/dpkg/status.d/NAME} stanzas and {@code NAME.md5sums} file lists, written
     * by image builders that do not run dpkg (distroless).
     */
    DPKG_STATUS_D("dpkg"),
    /** {@code /lib/apk/db/installed}. */
    APK("apk"),
    /** {@code rpmdb.sqlite} (rpm 4.16 and later); read only, never rewritten. */
    RPM("rpm");

    private final String manager;

    Kind(String manager) {
      this.manager = manager;
    }

    /** The package manager, for reports: "dpkg" for both dpkg forms, "apk", "rpm". */
    public String manager() {
      return manager;
    }
  }

  /** The database forms in the order they are looked for; the first the image has wins. */
  private static final List<Reader> READERS = List.of(DpkgDatabaseReader::read, DpkgStatusDirReader::read,
      ApkDatabaseReader::read, RpmDatabaseReader::read);

  private interface Reader {
    Optional<PackageDatabase> read(ImageFilesystem fs) throws IOException;
  }

  private final Kind kind;
  private final List<InstalledPackage> packages;
  private final List<List<UnixPath>> filesByPackage;
  /** Path to the index of its one owner in {@link #packages}, or {@link #SHARED}. */
  private final Map<UnixPath, Integer> ownerByPath;

  PackageDatabase(Kind kind, List<InstalledPackage> packages, List<List<UnixPath>> filesByPackage,
      Map<UnixPath, Integer> ownerByPath) {
    this.kind = kind;
    this.packages = List.copyOf(packages);
    this.filesByPackage = filesByPackage.stream().map(List::copyOf).toList();
    this.ownerByPath = Collections.unmodifiableMap(ownerByPath);
  }

  /**
   * The image's package database, when it has one that lists files per package: empty for
   * images without a package manager (scratch), with an empty database, or with one that
   * lists no file at all (an older distroless image: status.d without md5sums files), since
   * callers take an unlisted path for the app's. Forms are tried in order: dpkg status,
   * dpkg status.d, apk, rpm.
   *
   * @throws IOException when a database is there but cannot be read (a malformed rpm
   *     database, a file over its size limit)
   */
  public static Optional<PackageDatabase> read(ImageFilesystem fs) throws IOException {
    for (Reader reader : READERS) {
      Optional<PackageDatabase> db = reader.read(fs).filter(PackageDatabase::hasFileLists);
      if (db.isPresent()) {
        return db;
      }
    }
    return Optional.empty();
  }

  /**
   * The image's installed packages, even when its database lists none of their files (an
   * older distroless image): for inventories such as an SBOM, not for telling files apart.
   * Empty when the image has no database of a known form, or one without packages.
   */
  public static Optional<PackageDatabase> readInventory(ImageFilesystem fs) throws IOException {
    for (Reader reader : READERS) {
      Optional<PackageDatabase> db = reader.read(fs);
      if (db.isPresent()) {
        return db;
      }
    }
    return Optional.empty();
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether any package lists a path; false for an inventory only (see
   * {@link #readInventory}), where every path looks unowned.
   */
  public boolean hasFileLists() {
    return !ownerByPath.isEmpty();
  }

  /** The installed packages, sorted by name (then architecture; ties in database order). */
  public List<InstalledPackage> packages() {
    return packages;
  }

  /** Whether any package lists {@code path} (after resolving its directory in the image). */
  public boolean isOwned(UnixPath path) {
    return ownerByPath.containsKey(path);
  }

  /** The package that lists {@code path}; empty when none does or several do. */
  public Optional<InstalledPackage> ownerOf(UnixPath path) {
    Integer owner = ownerByPath.get(path);
    return owner == null || owner == SHARED ? Optional.empty() : Optional.of(packages.get(owner));
  }

  /** Every path {@code pkg} lists, resolved in the image, sorted. */
  public List<UnixPath> filesOf(InstalledPackage pkg) {
    int index = packages.indexOf(pkg);
    return index < 0 ? List.of() : filesByPackage.get(index);
  }

  /**
   * Whether a listed path is one of a package's files rather than a directory of it: a
   * regular file, device or link, but not a directory, nor a symlink to one (a merged-/usr
   * image's {@code /bin}, which every list names as the directory it was).
   */
  public static boolean isPackagedFile(ImageFilesystem fs, UnixPath path) {
    Optional<FileEntry> entry = fs.entry(path);
    if (entry.isEmpty() || entry.get().isDirectory()) {
      return false;
    }
    if (entry.get().type() == EntryType.SYMLINK) {
      PathResolution target = fs.resolve(path);
      return !(target.exists() && fs.entry(target.resolved()).map(FileEntry::isDirectory).orElse(false));
    }
    return true;
  }

  /** Builds the path index from each package's listed paths, resolving their directories. */
  static PackageDatabase index(Kind kind, List<InstalledPackage> unsorted, List<List<UnixPath>> unsortedListed,
      ImageFilesystem fs) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < unsorted.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> unsorted.get(a).compareTo(unsorted.get(b)));
    List<InstalledPackage> packages = order.stream().map(unsorted::get).toList();
    List<List<UnixPath>> listed = order.stream().map(unsortedListed::get).toList();
    Map<UnixPath, UnixPath> resolvedDirs = new HashMap<>();
    Map<UnixPath, Integer> owners = new HashMap<>();
    List<List<UnixPath>> files = new ArrayList<>();
    for (int i = 0; i < packages.size(); i++) {
      TreeSet<UnixPath> own = new TreeSet<>();
      for (UnixPath path : listed.get(i)) {
        UnixPath real = inImage(path, fs, resolvedDirs);
        own.add(real);
        int index = i;
        owners.merge(real, index, (a, b) -> a == b ? a : SHARED);
      }
      files.add(new ArrayList<>(own));
    }
    return new PackageDatabase(kind, packages, files, owners);
  }

  /** {@code path} with its directory resolved in the image; the last component is kept as is. */
  static UnixPath inImage(UnixPath path, ImageFilesystem fs, Map<UnixPath, UnixPath> resolvedDirs) {
    if (path.isRoot()) {
      return path;
    }
    UnixPath dir = path.parent();
    UnixPath realDir = resolvedDirs.computeIfAbsent(dir, d -> {
      PathResolution r = fs.resolve(d);
      return r.exists() ? r.resolved() : d;
    });
    return realDir.child(path.name());
  }

  /** Reads a small database file of the image, or empty when it is not there. */
  static Optional<byte[]> readFile(ImageFilesystem fs, UnixPath path, long maxBytes) throws IOException {
    PathResolution r = fs.resolve(path);
    if (!r.exists()) {
      return Optional.empty();
    }
    Optional<FileEntry> entry = fs.entry(r.resolved()).filter(FileEntry::hasContent);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = fs.open(entry.get())) {
      byte[] bytes = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
      if (in.read() >= 0) {
        throw new IOException(path + " is larger than " + maxBytes + " bytes");
      }
      return Optional.of(bytes);
    }
  }

  /** Splits bytes into lines at '\n' (a path in a file list is bytes up to the newline). */
  static List<byte[]> lines(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start) {
          lines.add(java.util.Arrays.copyOfRange(bytes, start, i));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  @Override
  public String toString() {
    return kind + " database: " + packages.size() + " packages, " + ownerByPath.size() + " paths";
  }
}
