package io.minify.packages;

import io.minify.path.UnixPath;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The package database a slim layer carries instead of the image's own: the dpkg status (or
 * status.d files, or apk installed database) with only the packages that still have files in
 * the layer, and their file lists with only the paths the layer holds, so a scanner reads
 * exactly what is shipped. Made by {@link PackageDatabaseTrimmer}; the packaging stage writes
 * {@link #layerPaths} and takes the bytes of {@link #contents} instead of the image's.
 *
 * <p>Two cases list more than is shipped, and say so in {@link #packagesUnverified}: status.d
 * packages without an md5sums file (their files are unknown, so they stay), and rpm, whose
 * sqlite database is carried unchanged ({@link #contents} is then empty and {@link #added}
 * holds the image's database file), since minify reads SQLite but does not write it.
 *
 * @param kind               which package manager's database, in which form
 * @param contents           path (in the image) to the bytes the slim layer holds there, by path
 * @param added              paths the layer holds for the database (the files of {@code contents},
 *                           or rpm's database file, their directories and the symlinks on the
 *                           way), by path
 * @param removed            kept paths the layer must not hold: file lists (and status.d stanzas)
 *                           of dropped packages
 * @param packagesInImage    packages the image's database lists
 * @param packagesKept       of those, the ones with files in the layer, by name
 * @param packagesUnverified of those, the ones the slim database still lists though no file of
 *                           theirs is known to be in the layer (status.d without md5sums; rpm's
 *                           packages without kept files), by name
 */
public record TrimmedPackageDatabase(PackageDatabase.Kind kind, SortedMap<UnixPath, byte[]> contents,
    NavigableSet<UnixPath> added, NavigableSet<UnixPath> removed, int packagesInImage,
    NavigableSet<String> packagesKept, NavigableSet<String> packagesUnverified) {

  public TrimmedPackageDatabase {
    TreeMap<UnixPath, byte[]> copy = new TreeMap<>();
    contents.forEach((path, bytes) -> copy.put(path, bytes.clone()));
    contents = Collections.unmodifiableSortedMap(copy);
    added = Collections.unmodifiableNavigableSet(new TreeSet<>(added));
    removed = Collections.unmodifiableNavigableSet(new TreeSet<>(removed));
    packagesKept = Collections.unmodifiableNavigableSet(new TreeSet<>(packagesKept));
    packagesUnverified = Collections.unmodifiableNavigableSet(new TreeSet<>(packagesUnverified));
  }

  /** What the slim layer holds: the kept paths, less the dropped packages' lists, plus the database. */
  public Set<UnixPath> layerPaths(Collection<UnixPath> kept) {
    TreeSet<UnixPath> paths = new TreeSet<>(kept);
    paths.removeAll(removed);
    paths.addAll(added);
    return Collections.unmodifiableNavigableSet(paths);
  }

  /** The replaced contents, as a map the layer writer reads (copies). */
  public Map<UnixPath, byte[]> replacedContents() {
    TreeMap<UnixPath, byte[]> copy = new TreeMap<>();
    contents.forEach((path, bytes) -> copy.put(path, bytes.clone()));
    return Collections.unmodifiableMap(copy);
  }

  // contents holds arrays: compare them by value.
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof TrimmedPackageDatabase that) || kind != that.kind || !added.equals(that.added)
        || !removed.equals(that.removed) || packagesInImage != that.packagesInImage
        || !packagesKept.equals(that.packagesKept) || !packagesUnverified.equals(that.packagesUnverified)
        || !contents.keySet().equals(that.contents.keySet())) {
      return false;
    }
    return contents.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), that.contents.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    return 31 * added.hashCode() + packagesKept.hashCode();
  }

  @Override
  public String toString() {
    String unverified = packagesUnverified.isEmpty() ? ""
        : ", " + packagesUnverified.size() + " more listed without a kept file";
    return kind == PackageDatabase.Kind.RPM
        ? "RPM database carried unchanged: " + packagesKept.size() + " of " + packagesInImage
            + " packages have kept files" + unverified
        : kind + " database trimmed to " + packagesKept.size() + " of " + packagesInImage + " packages" + unverified;
  }
}
