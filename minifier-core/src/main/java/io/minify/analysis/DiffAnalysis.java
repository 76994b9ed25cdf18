package io.minify.analysis;

import io.minify.analysis.ImageDiff.Both;
import io.minify.analysis.ImageDiff.DirectoryChange;
import io.minify.analysis.ImageDiff.KeptFile;
import io.minify.analysis.ImageDiff.OneSide;
import io.minify.analysis.ImageDiff.PackageChange;
import io.minify.analysis.ImageDiff.PackageChanges;
import io.minify.analysis.ImageDiff.PackageState;
import io.minify.analysis.ImageDiff.ReasonTotal;
import io.minify.analysis.ImageDiff.Side;
import io.minify.analysis.ImageXray.DirectoryTotal;
import io.minify.analysis.ImageXray.SizedPath;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.packages.InstalledPackage;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes {@link ImageDiff} for two opened images, path by path over both merged
 * filesystems, with per-package figures from A's own package database and, when B was made
 * by minify, the reasons of its report. Deterministic: every list has a total order.
 */
public final class DiffAnalysis {
  private static final String NO_REASON = "(not in the report)";
  /**
   * The reason of the trimmed package database's entries: packaging adds them after the
   * selection, so the report's kept[] does not name them.
   */
  static final String PACKAGE_DB_REASON = "package_db";
  private static final List<UnixPath> PACKAGE_DB_TREES = List.of(UnixPath.of("/var/lib/dpkg"),
      UnixPath.of("/lib/apk/db"));

  private final int top;

  /** @param top how many rows the "biggest" lists keep */
  public DiffAnalysis(int top) {
    this.top = top;
  }

  public ImageDiff analyse(OpenedImage a, OpenedImage b, WhyKept why) throws IOException {
    return analyse(side(a), a.filesystem(), side(b), b.filesystem(), why);
  }

  ImageDiff analyse(Side sideA, ImageFilesystem a, Side sideB, ImageFilesystem b, WhyKept why) throws IOException {
    long keptEntries = 0;
    long keptBytesA = 0;
    long keptBytesB = 0;
    long droppedEntries = 0;
    long droppedBytes = 0;
    List<FileEntry> keptFiles = new ArrayList<>();
    List<FileEntry> droppedFiles = new ArrayList<>();
    for (FileEntry entry : a.entries()) {
      Optional<FileEntry> inB = b.entry(entry.path());
      if (inB.isPresent()) {
        keptEntries++;
        keptBytesA += XrayAnalysis.contentBytes(entry);
        keptBytesB += XrayAnalysis.contentBytes(inB.get());
        if (inB.get().hasContent()) {
          keptFiles.add(inB.get());
        }
      } else {
        droppedEntries++;
        droppedBytes += XrayAnalysis.contentBytes(entry);
        if (entry.hasContent()) {
          droppedFiles.add(entry);
        }
      }
    }
    long addedEntries = 0;
    long addedBytes = 0;
    for (FileEntry entry : b.entries()) {
      if (a.entry(entry.path()).isEmpty()) {
        addedEntries++;
        addedBytes += XrayAnalysis.contentBytes(entry);
      }
    }
    double ratio = sideB.layerBytes() == 0 ? 0 : Math.round(100.0 * sideA.layerBytes() / sideB.layerBytes()) / 100.0;
    return new ImageDiff(sideA, sideB, ratio, new Both(keptEntries, keptBytesA, keptBytesB),
        new OneSide(droppedEntries, droppedBytes), new OneSide(addedEntries, addedBytes), byTopDirectory(a, b),
        packages(a, b), biggestKept(keptFiles, why), biggest(droppedFiles), droppedTrees(a, b), byReason(b, why));
  }

  private static Side side(OpenedImage image) {
    ImageFilesystem fs = image.filesystem();
    long layerBytes = 0;
    for (java.nio.file.Path layer : image.saved().layers()) {
      try {
        layerBytes += java.nio.file.Files.size(layer);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    long files = fs.entries().stream().filter(FileEntry::hasContent).count();
    return new Side(image.source().name(), image.source().kind().label(), image.imageId(), layerBytes,
        fs.contentBytes(), fs.entries().size(), files);
  }

  private static List<DirectoryChange> byTopDirectory(ImageFilesystem a, ImageFilesystem b) {
    Map<String, DirectoryTotal> inA = new TreeMap<>();
    XrayAnalysis.DirectoryFigures.topLevel(a).forEach(row -> inA.put(row.path(), row));
    Map<String, DirectoryTotal> inB = new TreeMap<>();
    XrayAnalysis.DirectoryFigures.topLevel(b).forEach(row -> inB.put(row.path(), row));
    TreeMap<String, DirectoryChange> rows = new TreeMap<>();
    DirectoryTotal none = new DirectoryTotal("", 0, 0);
    for (String path : union(inA.keySet(), inB.keySet())) {
      DirectoryTotal x = inA.getOrDefault(path, none);
      DirectoryTotal y = inB.getOrDefault(path, none);
      rows.put(path, new DirectoryChange(path, x.bytes(), y.bytes(), x.files(), y.files()));
    }
    return new ArrayList<>(rows.values());
  }

  private static List<String> union(java.util.Set<String> x, java.util.Set<String> y) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(x);
    all.addAll(y);
    return new ArrayList<>(all);
  }

  private static PackageChanges packages(ImageFilesystem a, ImageFilesystem b) throws IOException {
    Optional<PackageDatabase> read = PackageDatabase.read(a);
    if (read.isEmpty()) {
      return new PackageChanges("", 0, 0, 0, List.of());
    }
    PackageDatabase db = read.get();
    List<PackageChange> rows = new ArrayList<>();
    int whole = 0;
    int part = 0;
    int dropped = 0;
    for (InstalledPackage pkg : db.packages()) {
      long files = 0;
      long kept = 0;
      long bytes = 0;
      long keptBytes = 0;
      for (UnixPath path : db.filesOf(pkg)) {
        if (!PackageDatabase.isPackagedFile(a, path)) {
          continue;
        }
        files++;
        bytes += XrayAnalysis.contentBytes(a.entry(path).orElseThrow());
        Optional<FileEntry> inB = b.entry(path).filter(e -> !e.isDirectory());
        if (inB.isPresent()) {
          kept++;
          keptBytes += XrayAnalysis.contentBytes(inB.get());
        }
      }
      PackageState state;
      if (kept == 0) {
        state = PackageState.DROPPED;
        dropped++;
      } else if (kept == files) {
        state = PackageState.KEPT_WHOLE;
        whole++;
      } else {
        state = PackageState.KEPT_IN_PART;
        part++;
      }
      rows.add(new PackageChange(pkg.name(), pkg.version(), state, files, kept, bytes, keptBytes));
    }
    return new PackageChanges(db.kind().manager(), whole, part, dropped, rows);
  }

  private List<KeptFile> biggestKept(List<FileEntry> kept, WhyKept why) {
    return largestFirst(kept).stream().limit(top).map(e -> {
      String path = e.path().toString();
      WhyKept.Reason reason = why.isEmpty() ? new WhyKept.Reason("", "") : reasonOf(e.path(), why);
      return new KeptFile(path, e.size(), reason.reason(), reason.detail());
    }).toList();
  }

  private List<SizedPath> biggest(List<FileEntry> files) {
    return largestFirst(files).stream().limit(top).map(e -> new SizedPath(e.path().toString(), e.size())).toList();
  }

  private static List<FileEntry> largestFirst(List<FileEntry> files) {
    return files.stream()
        .sorted(Comparator.comparingLong(XrayAnalysis::contentBytes).reversed().thenComparing(FileEntry::path))
        .toList();
  }

  private static WhyKept.Reason reasonOf(UnixPath path, WhyKept why) {
    Optional<WhyKept.Reason> reported = why.of(path.toString());
    if (reported.isPresent()) {
      return reported.get();
    }
    boolean packageDb = PACKAGE_DB_TREES.stream().anyMatch(tree -> path.isSameOrBelow(tree) || tree.isBelow(path));
    return new WhyKept.Reason(packageDb ? PACKAGE_DB_REASON : NO_REASON, packageDb ? "trimmed package database" : "");
  }

  /** A's directories that B lacks while it has their parent: the roots of what was dropped whole. */
  private List<DirectoryTotal> droppedTrees(ImageFilesystem a, ImageFilesystem b) {
    List<DirectoryTotal> trees = new ArrayList<>();
    XrayAnalysis.DirectoryFigures.totals(a).forEach((dir, total) -> {
      if (b.entry(dir).isEmpty() && (dir.parent().isRoot() || b.entry(dir.parent()).isPresent())) {
        trees.add(new DirectoryTotal(dir.toString(), total[0], total[1]));
      }
    });
    return trees.stream().sorted(Comparator.comparingLong(DirectoryTotal::bytes).reversed()).limit(top).toList();
  }

  /** B's entries and bytes per reason of the report, most bytes first (then by reason). */
  private static List<ReasonTotal> byReason(ImageFilesystem b, WhyKept why) {
    if (why.isEmpty()) {
      return List.of();
    }
    Map<String, long[]> totals = new TreeMap<>();
    for (FileEntry entry : b.entries()) {
      if (entry.path().isRoot()) {
        continue; // the engine makes "/": no build keeps it
      }
      String reason = reasonOf(entry.path(), why).reason();
      long[] total = totals.computeIfAbsent(reason, r -> new long[2]);
      total[0]++;
      total[1] += XrayAnalysis.contentBytes(entry);
    }
    return totals.entrySet().stream()
        .map(e -> new ReasonTotal(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .sorted(Comparator.comparingLong(ReasonTotal::bytes).reversed())
        .toList();
  }
}
