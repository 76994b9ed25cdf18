package io.minify.packages;

import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the dpkg database of images built without dpkg (distroless and the tools like it):
 * no {@code /var/lib/dpkg/status}, but one file per package under
 * {@code /var/lib/dpkg/status.d/}: {@code status.d/NAME} holds the package's control stanza
 * (usually without a Status line), and {@code status.d/NAME.md5sums}, when the builder wrote
 * one, its files as {@code <md5>  <path without the leading slash>} lines. Older distroless
 * images have no md5sums: their packages are known, their files are not.
 *
 * <p>An md5sums file names regular files only, where a dpkg {@code .list} also names the
 * directories of the package's data.tar: those are the directories of its files, so each
 * listed file's directories (up to "/") are taken as listed too, and a package directory is
 * owned as it would be with a {@code .list}. Symlinks and conffiles are in no md5sums file,
 * so they stay unowned.
 *
 * <p>Only read when there is no {@code status} file: that one is then the database.
 */
final class DpkgStatusDirReader {
  static final UnixPath STATUS = UnixPath.of("/var/lib/dpkg/status");
  static final UnixPath STATUS_D = UnixPath.of("/var/lib/dpkg/status.d");
  private static final byte[] MD5SUMS = ".md5sums".getBytes(StandardCharsets.US_ASCII);
  private static final long MAX_FILE_BYTES = 64L << 20;
  /** Far above any real image (a distroless image has a few dozen packages). */
  private static final int MAX_FILES = 100_000;

  private DpkgStatusDirReader() {}

  /**
   * One installed package's stanza.
   *
   * @param paragraph the stanza's bytes as in the file, with the blank lines after it
   * @param pkg       what the stanza says
   * @param md5sums   the package's md5sums file (a path of the image), when it has one
   */
  record Stanza(byte[] paragraph, InstalledPackage pkg, Optional<UnixPath> md5sums) {}

  /**
   * A file of status.d and the installed packages it describes (one, in practice).
   *
   * @param path     its path in the image
   * @param stanzas  its installed packages' stanzas, in file order
   */
  record StatusFile(UnixPath path, List<Stanza> stanzas) {
    StatusFile {
      stanzas = List.copyOf(stanzas);
    }
  }

  static Optional<PackageDatabase> read(ImageFilesystem fs) throws IOException {
    Optional<List<StatusFile>> files = statusFiles(fs);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    List<InstalledPackage> packages = new ArrayList<>();
    List<List<UnixPath>> listed = new ArrayList<>();
    for (StatusFile file : files.get()) {
      for (Stanza stanza : file.stanzas()) {
        packages.add(stanza.pkg());
        listed.add(stanza.md5sums().isEmpty() ? List.of() : withDirectories(md5sumsPaths(fs, stanza.md5sums().get())));
      }
    }
    if (packages.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(PackageDatabase.index(PackageDatabase.Kind.DPKG_STATUS_D, packages, listed, fs));
  }

  /**
   * The files of status.d with their stanzas, sorted by path; empty when the image has a
   * dpkg status file or no status.d directory.
   */
  static Optional<List<StatusFile>> statusFiles(ImageFilesystem fs) throws IOException {
    if (fs.resolve(STATUS).exists()) {
      return Optional.empty();
    }
    PathResolution dir = fs.resolve(STATUS_D);
    if (!dir.exists() || !fs.entry(dir.resolved()).map(FileEntry::isDirectory).orElse(false)) {
      return Optional.empty();
    }
    // Names in the directory, as paths below the name the image is read by (its symlinks
    // are resolved again on reading, like any database file).
    Set<UnixPath> names = new TreeSet<>();
    for (FileEntry entry : fs.below(dir.resolved())) {
      if (entry.path().parent().equals(dir.resolved()) && !entry.isDirectory()) {
        if (names.size() == MAX_FILES) {
          throw new IOException(STATUS_D + " holds more than " + MAX_FILES + " files");
        }
        names.add(STATUS_D.child(entry.path().name()));
      }
    }
    List<StatusFile> files = new ArrayList<>();
    for (UnixPath path : names) {
      if (path.nameEndsWith(".md5sums")) {
        continue;
      }
      Optional<byte[]> bytes = PackageDatabase.readFile(fs, path, MAX_FILE_BYTES);
      if (bytes.isEmpty()) {
        continue; // a dangling symlink, a device: not a stanza
      }
      List<byte[]> paragraphs = new ArrayList<>();
      List<InstalledPackage> packages = new ArrayList<>();
      for (byte[] paragraph : PackageDatabaseTrimmer.paragraphs(bytes.get())) {
        for (InstalledPackage pkg : DpkgDatabaseReader.parseStanzas(new String(paragraph, StandardCharsets.UTF_8),
            true)) {
          paragraphs.add(paragraph);
          packages.add(pkg);
        }
      }
      List<Stanza> stanzas = new ArrayList<>();
      for (int i = 0; i < packages.size(); i++) {
        InstalledPackage pkg = packages.get(i);
        // The md5sums named after the file is the package's when the file describes just it;
        // otherwise (never seen) the one named after the package.
        List<UnixPath> candidates = new ArrayList<>();
        if (packages.size() == 1) {
          candidates.add(withSuffix(path));
        }
        candidates.add(STATUS_D.child(pkg.qualifiedName() + ".md5sums"));
        candidates.add(STATUS_D.child(pkg.name() + ".md5sums"));
        stanzas.add(new Stanza(paragraphs.get(i), pkg, candidates.stream().filter(names::contains).findFirst()));
      }
      files.add(new StatusFile(path, stanzas));
    }
    return Optional.of(files);
  }

  /** The paths an md5sums file lists (directories unresolved), in its order. */
  static List<UnixPath> md5sumsPaths(ImageFilesystem fs, UnixPath md5sums) throws IOException {
    List<UnixPath> paths = new ArrayList<>();
    for (byte[] line : PackageDatabase.readFile(fs, md5sums, MAX_FILE_BYTES).map(PackageDatabase::lines)
        .orElse(List.of())) {
      md5sumsPath(line).ifPresent(paths::add);
    }
    return paths;
  }

  /**
   * The path of an md5sums line, {@code <md5>  <path>} (md5sum's text mode; {@code <md5> *<path>}
   * is its binary mode), the path relative to the root; empty for a line that is not one.
   */
  static Optional<UnixPath> md5sumsPath(byte[] line) {
    int space = 0;
    while (space < line.length && line[space] != ' ') {
      space++;
    }
    int start = space + 2;
    if (space == 0 || start >= line.length || (line[space + 1] != ' ' && line[space + 1] != '*')) {
      return Optional.empty();
    }
    // ofEntryName drops a leading '/' and refuses "..": a listed path stays inside the image
    return UnixPath.ofEntryName(Arrays.copyOfRange(line, start, line.length)).filter(p -> !p.isRoot());
  }

  /** The files with their directories up to "/", each once, files first in their order. */
  private static List<UnixPath> withDirectories(List<UnixPath> files) {
    Set<UnixPath> paths = new LinkedHashSet<>(files);
    Set<UnixPath> seen = new HashSet<>();
    for (UnixPath file : files) {
      for (UnixPath dir = file; !dir.isRoot(); ) {
        dir = dir.parent();
        if (!seen.add(dir)) {
          break; // its directories are in already
        }
        paths.add(dir);
      }
    }
    return new ArrayList<>(paths);
  }

  private static UnixPath withSuffix(UnixPath path) {
    byte[] name = path.name();
    byte[] withSuffix = Arrays.copyOf(name, name.length + MD5SUMS.length);
    System.arraycopy(MD5SUMS, 0, withSuffix, name.length, MD5SUMS.length);
    return path.parent().child(withSuffix);
  }
}
