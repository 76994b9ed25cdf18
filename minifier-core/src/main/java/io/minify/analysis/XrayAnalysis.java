package io.minify.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.analysis.ImageXray.DirectoryTotal;
import io.minify.analysis.ImageXray.KindTotal;
import io.minify.analysis.ImageXray.Layer;
import io.minify.analysis.ImageXray.PackageRow;
import io.minify.analysis.ImageXray.Packages;
import io.minify.analysis.ImageXray.SizedPath;
import io.minify.analysis.ImageXray.WastedPath;
import io.minify.digest.Digest;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.packages.InstalledPackage;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes {@link ImageXray} for an opened image: per-layer figures from each layer tar's
 * headers (read again here: the merged view keeps only the winners, and waste is what
 * lost), the rest from the merged filesystem and the image's own package database.
 * Deterministic: every list has a total order (size, then path bytes).
 */
public final class XrayAnalysis {
  private static final String WHITEOUT_PREFIX = ".wh.";

  private final int top;

  /** @param top how many rows the "largest" and "wasted" lists keep */
  public XrayAnalysis(int top) {
    this.top = top;
  }

  public ImageXray analyse(OpenedImage image) throws IOException {
    return analyse(image.source().name(), image.source().kind().label(), image.imageId(), image.saved(),
        image.filesystem());
  }

  ImageXray analyse(String name, String source, Digest imageId, SavedImage saved, ImageFilesystem fs)
      throws IOException {
    JsonNode config = new ObjectMapper().readTree(saved.config());
    List<String> createdBy = layerHistory(config, saved.layers().size());
    Map<UnixPath, long[]> wastedByPath = new TreeMap<>();
    List<Layer> layers = new ArrayList<>();
    long layerBytes = 0;
    long layerEntries = 0;
    long overwritten = 0;
    long deleted = 0;
    long layerContent = 0;
    ImageChecks checks = new ImageChecks();
    for (int i = 0; i < saved.layers().size(); i++) {
      LayerHeaders headers = LayerHeaders.read(saved.layers().get(i));
      long layerWasted = 0;
      ContentAt mostWasted = null;
      for (ContentAt content : headers.contents()) {
        checks.file(content.path().toString(), content.bytes());
        Optional<FileEntry> merged = fs.entry(content.path());
        boolean reaches = content.lastInLayer() && merged.isPresent() && merged.get().layerIndex() == i
            && merged.get().type() == EntryType.FILE;
        if (reaches) {
          continue;
        }
        layerWasted += content.bytes();
        if (mostWasted == null || content.bytes() > mostWasted.bytes()) {
          mostWasted = content;
        }
        if (merged.isPresent() || !content.lastInLayer()) {
          overwritten += content.bytes();
        } else {
          deleted += content.bytes();
        }
        long[] wasted = wastedByPath.computeIfAbsent(content.path(), p -> new long[2]);
        wasted[0] += content.bytes();
      }
      for (ContentAt content : headers.contents()) {
        long[] wasted = wastedByPath.get(content.path());
        if (wasted != null && content.lastInLayer()) {
          wasted[1]++;
        }
      }
      layers.add(new Layer(i, saved.diffIds().get(i), createdBy.get(i), headers.tarBytes(), headers.entries(),
          headers.contentBytes(), headers.whiteouts(), layerWasted));
      checks.endLayer(i, createdBy.get(i), layerWasted, mostWasted == null ? "" : mostWasted.path().toString());
      layerBytes += headers.tarBytes();
      layerEntries += headers.entries();
      layerContent += headers.contentBytes();
    }

    MergedFigures merged = MergedFigures.of(fs);
    long wastedBytes = overwritten + deleted;
    double score = layerContent == 0 ? 1.0 : round4((double) (layerContent - wastedBytes) / layerContent);
    List<WastedPath> wastedPaths = wastedByPath.entrySet().stream()
        .filter(e -> e.getValue()[0] > 0)
        .map(e -> new WastedPath(e.getKey().toString(), e.getValue()[0], (int) e.getValue()[1]))
        .sorted(Comparator.comparingLong(WastedPath::wastedBytes).reversed())
        .limit(top).toList();
    return new ImageXray(name, source, imageId, config.path("os").asText(""), config.path("architecture").asText(""),
        new ImageXray.Totals(layerBytes, layerEntries, merged.contentBytes, fs.entries().size(), merged.files,
            merged.directories, merged.symlinks, merged.others),
        new ImageXray.Efficiency(score, wastedBytes, overwritten, deleted, wastedPaths),
        layers, merged.byKind(), DirectoryFigures.topLevel(fs), merged.largestFiles(top),
        DirectoryFigures.largest(fs, top), packages(fs), checks.checks(config));
  }

  /** created_by of each non-empty layer, in order; "" where the history says nothing. */
  private static List<String> layerHistory(JsonNode config, int layers) {
    List<String> createdBy = new ArrayList<>();
    for (JsonNode step : config.path("history")) {
      if (!step.path("empty_layer").asBoolean(false)) {
        createdBy.add(step.path("created_by").asText(""));
      }
    }
    while (createdBy.size() < layers) {
      createdBy.add("");
    }
    return createdBy.subList(0, layers);
  }

  private static Packages packages(ImageFilesystem fs) throws IOException {
    Optional<PackageDatabase> read = PackageDatabase.read(fs);
    if (read.isEmpty()) {
      return new Packages("", 0, 0, fs.contentBytes(), List.of());
    }
    PackageDatabase db = read.get();
    List<PackageRow> rows = new ArrayList<>();
    for (InstalledPackage pkg : db.packages()) {
      long files = 0;
      long bytes = 0;
      for (UnixPath path : db.filesOf(pkg)) {
        if (PackageDatabase.isPackagedFile(fs, path)) {
          files++;
          bytes += contentBytes(fs.entry(path).orElseThrow());
        }
      }
      rows.add(new PackageRow(pkg.name(), pkg.version(), pkg.architecture(), pkg.installedBytes(), files, bytes));
    }
    long owned = 0;
    for (FileEntry entry : fs.entries()) {
      if (db.isOwned(entry.path())) {
        owned += contentBytes(entry);
      }
    }
    return new Packages(db.kind().manager(), rows.size(), owned,
        fs.contentBytes() - owned, rows);
  }

  static long contentBytes(FileEntry entry) {
    return entry.type() == EntryType.FILE ? entry.size() : 0;
  }

  static double round4(double value) {
    return Math.round(value * 10000.0) / 10000.0;
  }

  /** Regular-file bytes at one path of one layer. */
  private record ContentAt(UnixPath path, long bytes, boolean lastInLayer) {}

  /** One layer tar's headers, reduced to its figures and its regular files. */
  private record LayerHeaders(long tarBytes, long entries, long contentBytes, long whiteouts,
      List<ContentAt> contents) {

    static LayerHeaders read(Path layerTar) throws IOException {
      Map<UnixPath, Integer> lastIndex = new HashMap<>();
      List<UnixPath> paths = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      long entries = 0;
      long whiteouts = 0;
      long content = 0;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(layerTar), 1 << 16)) {
        TarReader tar = new TarReader(in);
        TarHeader header;
        while ((header = tar.next()) != null) {
          entries++;
          Optional<UnixPath> path = UnixPath.ofEntryName(header.name());
          if (path.isEmpty()) {
            continue; // the merged view refused such a layer already
          }
          if (path.get().nameStartsWith(WHITEOUT_PREFIX)) {
            whiteouts++;
            continue;
          }
          if (header.isRegularFile() && !header.isDirectory()) {
            lastIndex.put(path.get(), paths.size());
            paths.add(path.get());
            sizes.add(header.size());
            content += header.size();
          }
        }
      }
      List<ContentAt> contents = new ArrayList<>(paths.size());
      for (int k = 0; k < paths.size(); k++) {
        contents.add(new ContentAt(paths.get(k), sizes.get(k), lastIndex.get(paths.get(k)) == k));
      }
      return new LayerHeaders(Files.size(layerTar), entries, content, whiteouts, contents);
    }
  }

  /** Counts and sizes of the merged filesystem. */
  private static final class MergedFigures {
    long contentBytes;
    long files;
    long directories;
    long symlinks;
    long others;
    final Map<ContentKind, long[]> kinds = new EnumMap<>(ContentKind.class);
    final List<FileEntry> regularFiles = new ArrayList<>();

    static MergedFigures of(ImageFilesystem fs) throws IOException {
      MergedFigures figures = new MergedFigures();
      for (ContentKind kind : ContentKind.values()) {
        figures.kinds.put(kind, new long[2]);
      }
      for (FileEntry entry : fs.entries()) {
        switch (entry.type()) {
          case FILE -> {
            figures.files++;
            figures.contentBytes += entry.size();
            figures.regularFiles.add(entry);
            long[] kind = figures.kinds.get(ContentKind.of(entry, fs));
            kind[0]++;
            kind[1] += entry.size();
          }
          case HARDLINK -> figures.files++;
          case DIRECTORY -> {
            if (!entry.path().isRoot()) {
              figures.directories++;
            }
          }
          case SYMLINK -> figures.symlinks++;
          default -> figures.others++;
        }
      }
      return figures;
    }

    List<KindTotal> byKind() {
      List<KindTotal> rows = new ArrayList<>();
      kinds.forEach((kind, figures) -> rows.add(new KindTotal(kind, figures[0], figures[1])));
      return rows;
    }

    List<SizedPath> largestFiles(int top) {
      return regularFiles.stream()
          .sorted(Comparator.comparingLong(FileEntry::size).reversed().thenComparing(FileEntry::path))
          .limit(top)
          .map(e -> new SizedPath(e.path().toString(), e.size()))
          .toList();
    }
  }

  /** Content bytes summed up the directory tree. */
  static final class DirectoryFigures {
    private DirectoryFigures() {}

    /** Every directory (root excluded) with the bytes and files at or below it, by path. */
    static TreeMap<UnixPath, long[]> totals(ImageFilesystem fs) {
      TreeMap<UnixPath, long[]> totals = new TreeMap<>();
      for (FileEntry entry : fs.entries()) {
        if (entry.isDirectory() && !entry.path().isRoot()) {
          totals.computeIfAbsent(entry.path(), p -> new long[2]);
        }
        if (!entry.hasContent()) {
          continue;
        }
        for (UnixPath dir = entry.path().parent(); !dir.isRoot(); dir = dir.parent()) {
          long[] total = totals.computeIfAbsent(dir, p -> new long[2]);
          total[0] += contentBytes(entry);
          total[1]++;
        }
      }
      return totals;
    }

    /** The top-level directories, by path; files directly in "/" are the row "/". */
    static List<DirectoryTotal> topLevel(ImageFilesystem fs) {
      Map<UnixPath, long[]> rows = new LinkedHashMap<>();
      long[] root = new long[2];
      for (FileEntry entry : fs.entries()) {
        if (entry.path().isRoot()) {
          continue;
        }
        if (entry.path().depth() == 1) {
          if (entry.isDirectory()) {
            rows.putIfAbsent(entry.path(), new long[2]);
          } else if (entry.hasContent()) {
            root[0] += contentBytes(entry);
            root[1]++;
          }
          continue;
        }
        if (entry.hasContent()) {
          long[] row = rows.computeIfAbsent(entry.path().prefix(1), p -> new long[2]);
          row[0] += contentBytes(entry);
          row[1]++;
        }
      }
      List<DirectoryTotal> result = new ArrayList<>();
      if (root[1] > 0) {
        result.add(new DirectoryTotal("/", root[0], root[1]));
      }
      new TreeMap<>(rows).forEach((dir, t) -> result.add(new DirectoryTotal(dir.toString(), t[0], t[1])));
      return result;
    }

    static List<DirectoryTotal> largest(ImageFilesystem fs, int top) {
      return totals(fs).entrySet().stream()
          .sorted(Comparator.<Map.Entry<UnixPath, long[]>>comparingLong(e -> e.getValue()[0]).reversed()
              .thenComparing(Map.Entry::getKey))
          .limit(top)
          .map(e -> new DirectoryTotal(e.getKey().toString(), e.getValue()[0], e.getValue()[1]))
          .toList();
    }
  }
}
