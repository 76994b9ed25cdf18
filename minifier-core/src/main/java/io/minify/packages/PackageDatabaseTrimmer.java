package io.minify.packages;

import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trims an image's package database to a keep set (see {@link TrimmedPackageDatabase}).
 *
 * <p>A package stays when a path it lists that is not a directory is kept (every package
 * lists {@code /usr}; that alone keeps nothing). Kept paragraphs of the status or installed
 * database and kept lines of the file lists are copied as the image's bytes, unchanged and in
 * their order; only whole paragraphs and lines are left out. Listed paths are matched after
 * resolving their directory in the image, as {@link PackageDatabase} does (a Debian list
 * names {@code /bin/ls}, a merged-/usr image holds {@code /usr/bin/ls}).
 *
 * <p>Per form:
 * <ul>
 *   <li>dpkg status: the status keeps the kept packages' paragraphs, {@code info/*.list}
 *       their kept lines; the lists of dropped packages are left out.
 *   <li>dpkg status.d: a kept package's stanza file stays as it is, its md5sums file keeps
 *       the lines of kept files; a dropped package's stanza and md5sums are left out. A
 *       package without an md5sums file stays too: which files it has is unknown, and a
 *       package a scanner no longer sees while its files are shipped is worse than one it
 *       sees too often. It is counted in {@link TrimmedPackageDatabase#packagesUnverified}.
 *   <li>apk: the installed database keeps the kept packages with their kept files' lines.
 *   <li>rpm: the sqlite database is carried unchanged (see {@link #trim}).
 * </ul>
 */
public final class PackageDatabaseTrimmer {
  private static final UnixPath DPKG_STATUS = UnixPath.of("/var/lib/dpkg/status");
  private static final UnixPath DPKG_INFO = UnixPath.of("/var/lib/dpkg/info");
  private static final UnixPath APK_INSTALLED = UnixPath.of("/lib/apk/db/installed");
  private static final long MAX_DATABASE_BYTES = 256L << 20;

  private final ImageFilesystem fs;
  private final Set<UnixPath> kept;
  private final Map<UnixPath, UnixPath> resolvedDirs = new HashMap<>();

  private PackageDatabaseTrimmer(ImageFilesystem fs, Collection<UnixPath> kept) {
    this.fs = fs;
    this.kept = kept instanceof Set<UnixPath> set ? set : new HashSet<>(kept);
  }

  /**
   * The trimmed database for {@code kept} (real paths of the image), or empty when the image
   * has no database of a known form: dpkg status, dpkg status.d, apk installed, rpm sqlite,
   * looked for in that order.
   *
   * <p>An rpm database is not trimmed: this code reads SQLite but does not write it, and
   * rewriting one (pages, free lists, rpm's index tables that point at header numbers) is
   * not a thing to do half-way. Dropping it would hide every package from a scanner, also
   * those whose files are shipped, so the slim layer carries the image's file unchanged
   * (nothing in {@link TrimmedPackageDatabase#contents}; the file, with its directories and
   * the symlinks on the way, in {@link TrimmedPackageDatabase#added}): it lists every
   * package, and those without a kept file are in
   * {@link TrimmedPackageDatabase#packagesUnverified}, so a report can say that a scanner
   * will see them though they are gone.
   *
   * @throws IOException when the database is there but cannot be read
   */
  public static Optional<TrimmedPackageDatabase> trim(ImageFilesystem fs, Collection<UnixPath> kept)
      throws IOException {
    PackageDatabaseTrimmer trimmer = new PackageDatabaseTrimmer(fs, kept);
    Optional<TrimmedPackageDatabase> trimmed = trimmer.trimDpkg();
    if (trimmed.isEmpty()) {
      trimmed = trimmer.trimDpkgStatusD();
    }
    if (trimmed.isEmpty()) {
      trimmed = trimmer.trimApk();
    }
    return trimmed.isPresent() ? trimmed : trimmer.trimRpm();
  }

  private Optional<TrimmedPackageDatabase> trimDpkg() throws IOException {
    Optional<Located> status = locate(DPKG_STATUS);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    Map<UnixPath, byte[]> contents = new TreeMap<>();
    Set<UnixPath> added = new TreeSet<>();
    Set<UnixPath> removed = new TreeSet<>();
    Set<String> keptPackages = new TreeSet<>();
    ByteArrayOutputStream trimmedStatus = new ByteArrayOutputStream();
    List<byte[]> paragraphs = paragraphs(status.get().bytes());
    for (byte[] paragraph : paragraphs) {
      Optional<String> name = field(paragraph, "Package");
      if (name.isEmpty()) {
        continue;
      }
      String arch = field(paragraph, "Architecture").orElse("");
      Optional<Located> list = arch.isEmpty() ? Optional.empty() : locate(DPKG_INFO.child(name.get() + ":" + arch
          + ".list"));
      if (list.isEmpty()) {
        list = locate(DPKG_INFO.child(name.get() + ".list"));
      }
      if (list.isEmpty()) {
        continue; // nothing listed, nothing shipped: the package is not in the layer
      }
      ByteArrayOutputStream keptLines = new ByteArrayOutputStream();
      boolean shipsAFile = false;
      for (byte[] line : PackageDatabase.lines(list.get().bytes())) {
        if (line.length == 0 || line[0] != '/') {
          continue;
        }
        UnixPath real = PackageDatabase.inImage(UnixPath.ofBytes(line), fs, resolvedDirs);
        if (real.isRoot() || kept.contains(real)) {
          keptLines.write(line);
          keptLines.write('\n');
          shipsAFile |= PackageDatabase.isPackagedFile(fs, real);
        }
      }
      if (shipsAFile) {
        trimmedStatus.write(paragraph);
        keptPackages.add(name.get());
        contents.put(list.get().path(), keptLines.toByteArray());
        added.addAll(list.get().layerPaths());
      } else {
        removed.add(list.get().path());
      }
    }
    contents.put(status.get().path(), trimmedStatus.toByteArray());
    added.addAll(status.get().layerPaths());
    return Optional.of(new TrimmedPackageDatabase(PackageDatabase.Kind.DPKG, new TreeMap<>(contents),
        new TreeSet<>(added), new TreeSet<>(removed), (int) paragraphs.stream()
            .filter(p -> field(p, "Package").isPresent()).count(), new TreeSet<>(keptPackages), new TreeSet<>()));
  }

  /**
   * One file per package: the stanza files and md5sums of the packages with a kept file (or
   * without md5sums: unknown, so kept), the md5sums with their kept lines only. A stanza file
   * of several packages (never seen) keeps the kept packages' paragraphs.
   */
  private Optional<TrimmedPackageDatabase> trimDpkgStatusD() throws IOException {
    Optional<List<DpkgStatusDirReader.StatusFile>> files = DpkgStatusDirReader.statusFiles(fs);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    Map<UnixPath, byte[]> contents = new TreeMap<>();
    // the directory even when no package stays: the image still says it is a dpkg one
    Set<UnixPath> added = new TreeSet<>(layerPaths(DpkgStatusDirReader.STATUS_D));
    Set<UnixPath> removed = new TreeSet<>();
    Set<String> keptPackages = new TreeSet<>();
    Set<String> unverified = new TreeSet<>();
    int packages = 0;
    for (DpkgStatusDirReader.StatusFile file : files.get()) {
      Optional<Located> stanzaFile = locate(file.path());
      if (stanzaFile.isEmpty()) {
        continue;
      }
      ByteArrayOutputStream keptStanzas = new ByteArrayOutputStream();
      int keptCount = 0;
      for (DpkgStatusDirReader.Stanza stanza : file.stanzas()) {
        packages++;
        String name = stanza.pkg().name();
        Optional<Located> md5sums = stanza.md5sums().isEmpty() ? Optional.empty() : locate(stanza.md5sums().get());
        if (md5sums.isEmpty()) {
          unverified.add(name);
          keptStanzas.write(stanza.paragraph());
          keptCount++;
          continue;
        }
        ByteArrayOutputStream keptLines = new ByteArrayOutputStream();
        boolean shipsAFile = false;
        for (byte[] line : linesKeepingEnds(md5sums.get().bytes())) {
          Optional<UnixPath> listed = DpkgStatusDirReader.md5sumsPath(stripNewline(line));
          UnixPath real = listed.isEmpty() ? null : PackageDatabase.inImage(listed.get(), fs, resolvedDirs);
          if (real != null && kept.contains(real)) {
            keptLines.write(line);
            shipsAFile |= PackageDatabase.isPackagedFile(fs, real);
          }
        }
        if (shipsAFile) {
          keptPackages.add(name);
          keptStanzas.write(stanza.paragraph());
          keptCount++;
          contents.put(md5sums.get().path(), keptLines.toByteArray());
          added.addAll(md5sums.get().layerPaths());
        } else {
          removed.add(md5sums.get().path());
        }
      }
      if (keptCount == 0) {
        removed.add(stanzaFile.get().path());
        continue;
      }
      // a file all of whose stanzas stay is copied whole: its bytes exactly, blank lines and all
      contents.put(stanzaFile.get().path(),
          keptCount == file.stanzas().size() ? stanzaFile.get().bytes() : keptStanzas.toByteArray());
      added.addAll(stanzaFile.get().layerPaths());
    }
    return Optional.of(new TrimmedPackageDatabase(PackageDatabase.Kind.DPKG_STATUS_D, new TreeMap<>(contents),
        new TreeSet<>(added), new TreeSet<>(removed), packages, new TreeSet<>(keptPackages),
        new TreeSet<>(unverified)));
  }

  /** rpm's database, carried unchanged: see {@link #trim}. */
  private Optional<TrimmedPackageDatabase> trimRpm() throws IOException {
    Optional<RpmDatabaseReader.Contents> db = RpmDatabaseReader.readContents(fs);
    if (db.isEmpty()) {
      return Optional.empty();
    }
    Set<String> keptPackages = new TreeSet<>();
    Set<String> unverified = new TreeSet<>();
    for (RpmHeader header : db.get().headers()) {
      boolean shipsAFile = false;
      for (UnixPath listed : header.files()) {
        UnixPath real = PackageDatabase.inImage(listed, fs, resolvedDirs);
        if (kept.contains(real) && PackageDatabase.isPackagedFile(fs, real)) {
          shipsAFile = true;
          break;
        }
      }
      (shipsAFile ? keptPackages : unverified).add(header.pkg().name());
    }
    // a name with one kept version (kernel, gpg-pubkey) is kept, not unverified as well
    unverified.removeAll(keptPackages);
    return Optional.of(new TrimmedPackageDatabase(PackageDatabase.Kind.RPM, new TreeMap<>(),
        new TreeSet<>(layerPaths(db.get().path())), new TreeSet<>(), db.get().headers().size(),
        new TreeSet<>(keptPackages), new TreeSet<>(unverified)));
  }

  /**
   * Alpine's one file: per package its fields, then "F:dir" lines (with "M:" attributes)
   * each followed by its "R:file" lines (with "a:" attributes and a "Z:" checksum). A file's
   * lines go with it, a directory's with it; fields before the first "F:" stay as they are.
   */
  private Optional<TrimmedPackageDatabase> trimApk() throws IOException {
    Optional<Located> installed = locate(APK_INSTALLED);
    if (installed.isEmpty()) {
      return Optional.empty();
    }
    ByteArrayOutputStream trimmed = new ByteArrayOutputStream();
    Set<String> keptPackages = new TreeSet<>();
    List<byte[]> paragraphs = paragraphs(installed.get().bytes());
    int packages = 0;
    for (byte[] paragraph : paragraphs) {
      String name = null;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream directory = null; // the current F: block, written when it keeps something
      boolean directoryKept = false;
      boolean keepingFile = false;
      UnixPath dir = UnixPath.ROOT;
      boolean shipsAFile = false;
      for (byte[] line : linesKeepingEnds(paragraph)) {
        byte tag = line.length >= 2 && line[1] == ':' ? line[0] : 0;
        byte[] value = tag == 0 ? line : stripNewline(Arrays.copyOfRange(line, 2, line.length));
        switch (tag) {
          case 'P' -> {
            name = new String(value, StandardCharsets.UTF_8);
            out.write(line);
          }
          case 'F' -> {
            flush(out, directory, directoryKept);
            dir = UnixPath.ofEntryName(value).orElse(UnixPath.ROOT);
            UnixPath real = dir.isRoot() ? dir : PackageDatabase.inImage(dir, fs, resolvedDirs);
            directory = new ByteArrayOutputStream();
            directory.write(line);
            directoryKept = kept.contains(real);
            keepingFile = false;
          }
          case 'M' -> target(out, directory).write(line); // a directory's attributes follow its F: line
          case 'R' -> {
            Optional<UnixPath> file = UnixPath.ofEntryName(value).filter(f -> f.depth() == 1);
            UnixPath real = file.isEmpty() ? null
                : PackageDatabase.inImage(dir.child(file.get().name()), fs, resolvedDirs);
            keepingFile = real != null && kept.contains(real);
            if (keepingFile) {
              shipsAFile |= PackageDatabase.isPackagedFile(fs, real);
              directoryKept = true;
              target(out, directory).write(line);
            }
          }
          case 'a', 'Z' -> {
            if (keepingFile) {
              target(out, directory).write(line);
            }
          }
          default -> {
            if (directory == null) {
              out.write(line);
            } else if (directoryKept) {
              directory.write(line);
            }
          }
        }
      }
      flush(out, directory, directoryKept);
      if (name == null) {
        continue;
      }
      packages++;
      if (shipsAFile) {
        trimmed.write(out.toByteArray());
        keptPackages.add(name);
      }
    }
    Map<UnixPath, byte[]> contents = new TreeMap<>();
    contents.put(installed.get().path(), trimmed.toByteArray());
    return Optional.of(new TrimmedPackageDatabase(PackageDatabase.Kind.APK, new TreeMap<>(contents),
        new TreeSet<>(installed.get().layerPaths()), new TreeSet<>(), packages, new TreeSet<>(keptPackages),
        new TreeSet<>()));
  }

  private static ByteArrayOutputStream target(ByteArrayOutputStream out, ByteArrayOutputStream directory) {
    return directory == null ? out : directory;
  }

  private static void flush(ByteArrayOutputStream out, ByteArrayOutputStream directory, boolean kept) {
    if (directory != null && kept) {
      out.writeBytes(directory.toByteArray());
    }
  }

  /** A database file found in the image: its real path, bytes, and what the layer needs to hold it. */
  private record Located(UnixPath path, byte[] bytes, List<UnixPath> layerPaths) {}

  private Optional<Located> locate(UnixPath path) throws IOException {
    Optional<byte[]> bytes = PackageDatabase.readFile(fs, path, MAX_DATABASE_BYTES);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Located(fs.resolve(path).resolved(), bytes.get(), layerPaths(path)));
  }

  /**
   * What the layer needs to hold {@code path} (a file or a directory) by that name: the
   * entry, its directories, and any symlink on the way with its directories, since a scanner
   * opens the database by its usual path. Empty when the image does not have it.
   */
  private List<UnixPath> layerPaths(UnixPath path) {
    PathResolution resolution = fs.resolve(path);
    Optional<FileEntry> entry = resolution.exists() ? fs.entry(resolution.resolved()) : Optional.empty();
    if (entry.isEmpty()) {
      return List.of();
    }
    List<UnixPath> layerPaths = new ArrayList<>();
    List<UnixPath> ends = new ArrayList<>(resolution.symlinks());
    ends.add(resolution.resolved());
    ends.add(entry.get().hardlinkTarget() == null ? resolution.resolved() : entry.get().hardlinkTarget());
    for (UnixPath end : ends) {
      for (UnixPath p = end; !p.isRoot(); p = p.parent()) {
        if (fs.entry(p).isPresent()) {
          layerPaths.add(p);
        }
      }
    }
    return layerPaths;
  }

  /**
   * The paragraphs of a control-style file, each with the blank lines that follow it, so the
   * kept ones concatenate to a well-formed file again.
   */
  static List<byte[]> paragraphs(byte[] bytes) {
    List<byte[]> paragraphs = new ArrayList<>();
    int start = 0;
    while (start < bytes.length && bytes[start] == '\n') {
      start++;
    }
    int i = start;
    while (i < bytes.length) {
      boolean blankLineNext = bytes[i] == '\n' && i + 1 < bytes.length && bytes[i + 1] == '\n';
      if (blankLineNext) {
        int end = i + 1;
        while (end < bytes.length && bytes[end] == '\n') {
          end++;
        }
        paragraphs.add(Arrays.copyOfRange(bytes, start, end));
        start = end;
        i = end;
      } else {
        i++;
      }
    }
    if (start < bytes.length) {
      paragraphs.add(Arrays.copyOfRange(bytes, start, bytes.length));
    }
    return paragraphs;
  }

  /** A control field's value (text by the format's rules), from the paragraph's own lines. */
  static Optional<String> field(byte[] paragraph, String name) {
    byte[] prefix = (name + ":").getBytes(StandardCharsets.US_ASCII);
    for (byte[] line : linesKeepingEnds(paragraph)) {
      if (line.length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length)) {
        return Optional.of(new String(line, prefix.length, line.length - prefix.length, StandardCharsets.UTF_8)
            .strip());
      }
    }
    return Optional.empty();
  }

  /** Lines with their '\n', so writing them back gives the same bytes. */
  static List<byte[]> linesKeepingEnds(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lines.add(Arrays.copyOfRange(bytes, start, i + 1));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      lines.add(Arrays.copyOfRange(bytes, start, bytes.length));
    }
    return lines;
  }

  private static byte[] stripNewline(byte[] value) {
    int end = value.length;
    while (end > 0 && value[end - 1] == '\n') {
      end--;
    }
    return end == value.length ? value : Arrays.copyOf(value, end);
  }
}
