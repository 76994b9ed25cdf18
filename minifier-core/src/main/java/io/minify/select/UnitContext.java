package io.minify.select;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageConfig;
import io.minify.image.ImageFilesystem;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What a {@link KeepUnitRule} works from: the image, its config and package database, what
 * the app did, and the selection to add to.
 */
record UnitContext(ImageFilesystem fs, ImageConfig config, AccessLog log, Optional<PackageDatabase> packages,
    KeepSelection keep) {

  /** Directories whose content belongs to code units of their own, never to the tree around them. */
  static boolean isCodeContainer(UnixPath dir) {
    return dir.nameEquals("node_modules") || dir.nameEquals("site-packages") || dir.nameEquals("dist-packages");
  }

  /** Files and directories the app opened or executed that the image holds, sorted. */
  SortedSet<UnixPath> usedInImage() {
    SortedSet<UnixPath> used = new TreeSet<>();
    for (UnixPath p : log.files()) {
      if (fs.entry(p).isPresent()) {
        used.add(p);
      }
    }
    for (UnixPath p : log.directories()) {
      if (fs.entry(p).isPresent()) {
        used.add(p);
      }
    }
    return used;
  }

  /** The directory {@code path} lies in, or {@code path} itself when it is one. */
  UnixPath directoryOf(UnixPath path) {
    return fs.entry(path).map(FileEntry::isDirectory).orElse(false) ? path : path.parent();
  }

  boolean isDirectory(UnixPath path) {
    return fs.entry(path).map(FileEntry::isDirectory).orElse(false);
  }

  /**
   * Offers {@code root} and everything below it as a whole tree (what a {@link DropRule} may
   * take back out), except the subtrees of directories
   * {@code skip} names (the directory entries themselves are offered, their content not).
   *
   * @return the bytes of regular-file content newly kept
   */
  long keepTree(UnixPath root, KeptBecause because, Predicate<UnixPath> skip) {
    long bytes = offerWholesale(root, because);
    TreeSet<UnixPath> skipped = new TreeSet<>();
    for (FileEntry e : fs.below(root)) {
      UnixPath p = e.path();
      if (isBelowAny(p, root, skipped)) {
        continue;
      }
      bytes += offerWholesale(p, because);
      if (e.isDirectory() && skip.test(p)) {
        skipped.add(p);
      }
    }
    return bytes;
  }

  /**
   * The first {@code maxBytes} bytes of a file of the image (a hardlink reads its file);
   * empty for an entry without content.
   */
  Optional<byte[]> head(UnixPath path, int maxBytes) {
    Optional<FileEntry> entry = fs.entry(path).filter(FileEntry::hasContent);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = fs.open(entry.get())) {
      return Optional.of(in.readNBytes(maxBytes));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + " from the image failed: " + e.getMessage(), e);
    }
  }

  /** Whether {@code p} lies below one of {@code dirs} (which lie below {@code root}). */
  static boolean isBelowAny(UnixPath p, UnixPath root, NavigableSet<UnixPath> dirs) {
    if (dirs.isEmpty()) {
      return false;
    }
    for (UnixPath a = p.parent(); !a.equals(root) && !a.isRoot(); a = a.parent()) {
      if (dirs.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** Offers one path of a whole tree ({@link KeepSelection#offerWholesale}); its content bytes when newly kept. */
  long offerWholesale(UnixPath path, KeptBecause because) {
    if (!keep.offerWholesale(path, because)) {
      return 0;
    }
    return fs.entry(path).filter(e -> e.type() == EntryType.FILE).map(FileEntry::size).orElse(0L);
  }

  /** Offers one path; returns its content bytes when it was newly kept. */
  long offer(UnixPath path, KeptBecause because) {
    if (!keep.offer(path, because)) {
      return 0;
    }
    return fs.entry(path).filter(e -> e.type() == EntryType.FILE).map(FileEntry::size).orElse(0L);
  }
}
