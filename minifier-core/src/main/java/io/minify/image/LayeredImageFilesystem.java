package io.minify.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import io.minify.path.UnixPath;
import io.minify.stream.ChannelRangeInputStream;
import io.minify.tar.SparseMap;
import io.minify.tar.TarFormatException;
import io.minify.tar.Xattrs;
import java.io.BufferedInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The merged view of an image's layer tars, built once from an index of every layer's
 * headers: the one {@link SavedImage#read} builds while the image streams in, or else a scan
 * of each layer file.
 *
 * <p>Only metadata and the position of each file's content inside its layer tar are kept in
 * memory (no tar headers), so images with ~100k entries stay cheap; {@link #open} reads the
 * bytes back with positional reads on the layer file instead of rescanning the layer (a
 * sparse file's holes read as zeros between its stored segments).
 *
 * <p>Instances are immutable once opened and safe for concurrent reads.
 */
public final class LayeredImageFilesystem implements ImageFilesystem {
  /** The kernel's limit (MAXSYMLINKS) on symlinks followed while resolving one path. */
  private static final int MAX_SYMLINKS = 40;
  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final String OPAQUE_MARKER = ".wh..wh..opq";
  private static final byte[] DOT = {'.'};
  private static final byte[] DOT_DOT = {'.', '.'};

  /** Where a regular file's bytes live. Equal refs mean the same inode (hardlinks). */
  private record ContentRef(int layerIndex, long dataOffset, long size, SparseMap sparse) {}

  private record Node(FileEntry entry, ContentRef content) {}

  private final NavigableMap<UnixPath, Node> nodes;
  private final List<FileEntry> sortedEntries;
  private final List<FileChannel> layerChannels;
  private final long contentBytes;

  private LayeredImageFilesystem(NavigableMap<UnixPath, Node> nodes, List<FileChannel> layerChannels) {
    this.nodes = nodes;
    this.layerChannels = List.copyOf(layerChannels);
    List<FileEntry> entries = new ArrayList<>(nodes.size());
    long bytes = 0;
    for (Node node : nodes.values()) {
      entries.add(node.entry());
      if (node.entry().type() == EntryType.FILE) {
        bytes += node.entry().size();
      }
    }
    this.sortedEntries = List.copyOf(entries);
    this.contentBytes = bytes;
  }

  /**
   * Applies {@code layerTars} (uncompressed, bottom layer first) and returns the merged view.
   * Every layer is scanned; prefer {@link #open(SavedImage)} for an image read by
   * {@link SavedImage#read}, whose layers are already indexed.
   *
   * @throws ImageFormatException when a layer is not a tar, or holds an unsafe entry
   */
  public static LayeredImageFilesystem open(List<Path> layerTars) throws IOException, ImageFormatException {
    return open(layerTars, List.of());
  }

  /**
   * The merged view of a saved image, from the layer indexes built while it was read: only
   * the merge is left to do. A layer without a usable index is scanned, as {@link #open(List)}
   * would, so the result is the same either way.
   *
   * @throws ImageFormatException when a layer is not a tar, or holds an unsafe entry
   */
  public static LayeredImageFilesystem open(SavedImage image) throws IOException, ImageFormatException {
    return open(image.layers(), image.layerIndexes());
  }

  private static LayeredImageFilesystem open(List<Path> layerTars, List<Optional<LayerIndex>> prebuilt)
      throws IOException, ImageFormatException {
    MergedViewBuilder builder = new MergedViewBuilder();
    List<FileChannel> channels = new ArrayList<>();
    boolean success = false;
    try {
      for (int layerIndex = 0; layerIndex < layerTars.size(); layerIndex++) {
        Path layerTar = layerTars.get(layerIndex);
        Optional<LayerIndex> known = prebuilt.isEmpty() ? Optional.empty() : prebuilt.get(layerIndex);
        // The size check guards against an index that does not describe this file.
        LayerIndex index = known.isPresent() && known.get().layerBytes() == Files.size(layerTar)
            ? known.get()
            : scan(layerIndex, layerTar);
        for (LayerIndex.Entry entry : index.entries()) {
          builder.apply(layerIndex, layerTar, entry);
        }
        channels.add(FileChannel.open(layerTar, StandardOpenOption.READ));
      }
      builder.repairOrphanedHardlinks();
      LayeredImageFilesystem fs = new LayeredImageFilesystem(builder.nodes, channels);
      success = true;
      return fs;
    } finally {
      if (!success) {
        closeAll(channels);
      }
    }
  }

  /** Reads every header of a layer file. */
  private static LayerIndex scan(int layerIndex, Path layerTar) throws IOException, ImageFormatException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(layerTar), 1 << 16)) {
      return new LayerIndex(LayerIndex.read(in), Files.size(layerTar));
    } catch (TarFormatException e) {
      throw new ImageFormatException(
          "layer " + layerIndex + " (" + layerTar.getFileName() + ") is not a readable tar: " + e.getMessage(), e);
    }
  }

  /** Index of one layer file, as {@link #open(List)} builds it (for tests and tools). */
  static LayerIndex scan(Path layerTar) throws IOException, ImageFormatException {
    return scan(0, layerTar);
  }

  @Override
  public Optional<FileEntry> entry(UnixPath path) {
    Node node = nodes.get(path);
    return node == null ? Optional.empty() : Optional.of(node.entry());
  }

  @Override
  public Collection<FileEntry> entries() {
    return sortedEntries;
  }

  @Override
  public Collection<FileEntry> below(UnixPath dir) {
    return dir.isRoot()
        ? nodes.tailMap(UnixPath.ROOT, false).values().stream().map(Node::entry).toList()
        : nodes.subMap(dir.subtreeStart(), true, dir.subtreeEnd(), false).values().stream().map(Node::entry).toList();
  }

  @Override
  public InputStream open(FileEntry entry) throws IOException {
    Node node = nodes.get(entry.path());
    if (node == null || node.content() == null) {
      throw new IllegalArgumentException("not a regular file or hardlink in the image: " + entry.path());
    }
    ContentRef content = node.content();
    FileChannel layer = layerChannels.get(content.layerIndex());
    if (content.sparse() != null) {
      return new SparseContentStream(layer, content.dataOffset(), content.sparse());
    }
    return new ChannelRangeInputStream(layer, content.dataOffset(), content.size());
  }

  @Override
  public PathResolution resolve(UnixPath path) {
    return resolve(path.toString(), path.components());
  }

  @Override
  public PathResolution resolve(String path) {
    return resolve(path, SymlinkTarget.of(path).components());
  }

  private PathResolution resolve(String requested, List<byte[]> components) {
    Deque<byte[]> pending = new ArrayDeque<>(components);
    List<UnixPath> symlinks = new ArrayList<>();
    UnixPath current = UnixPath.ROOT;
    int symlinksFollowed = 0;
    while (!pending.isEmpty()) {
      byte[] component = pending.removeFirst();
      if (Arrays.equals(component, DOT)) {
        continue;
      }
      if (Arrays.equals(component, DOT_DOT)) {
        current = current.parent();
        continue;
      }
      UnixPath candidate = current.child(component);
      Node node = nodes.get(candidate);
      if (node == null) {
        return unresolved(requested, candidate, pending, symlinks);
      }
      FileEntry entry = node.entry();
      if (entry.type() == EntryType.SYMLINK) {
        if (!symlinks.contains(candidate)) {
          symlinks.add(candidate);
        }
        SymlinkTarget target = entry.symlinkTarget();
        if (++symlinksFollowed > MAX_SYMLINKS || target == null || target.isEmpty()) {
          // ELOOP / ENOENT for the kernel: the path does not name anything.
          return unresolved(requested, candidate, pending, symlinks);
        }
        List<byte[]> targetComponents = target.components();
        for (int i = targetComponents.size() - 1; i >= 0; i--) {
          pending.addFirst(targetComponents.get(i));
        }
        // Absolute targets restart from the IMAGE root, never the host's.
        if (target.isAbsolute()) {
          current = UnixPath.ROOT;
        }
        continue;
      }
      if (!entry.isDirectory() && !pending.isEmpty()) {
        // ENOTDIR: a file used as a directory.
        return unresolved(requested, candidate, pending, symlinks);
      }
      current = candidate;
    }
    return new PathResolution(requested, current, symlinks, true);
  }

  @Override
  public long contentBytes() {
    return contentBytes;
  }

  @Override
  public void close() throws IOException {
    closeAll(layerChannels);
  }

  /** The path reached, with the components not resolved appended lexically (for messages). */
  private static PathResolution unresolved(String requested, UnixPath reached, Deque<byte[]> rest,
      List<UnixPath> symlinks) {
    UnixPath resolved = reached;
    for (byte[] component : rest) {
      if (Arrays.equals(component, DOT_DOT)) {
        resolved = resolved.parent();
      } else if (!Arrays.equals(component, DOT)) {
        resolved = resolved.child(component);
      }
    }
    return new PathResolution(requested, resolved, symlinks, false);
  }

  private static void closeAll(Collection<FileChannel> channels) throws IOException {
    IOException failure = null;
    for (AutoCloseable closeable : channels) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof IOException io ? io : new IOException(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Applies layer entries to a sorted map of paths, the way overlayfs would stack them. */
  private static final class MergedViewBuilder {
    final TreeMap<UnixPath, Node> nodes = new TreeMap<>();
    /**
     * A path known to be a directory in {@link #nodes}, or null. Entries of a tar come
     * directory by directory, so most share the previous entry's parent: this skips a map
     * lookup per entry. Whatever removes nodes or replaces a directory resets it.
     */
    private UnixPath knownDirectory;

    /** Applies one entry of layer {@code layerIndex} on top of the layers below it. */
    void apply(int layerIndex, Path layerTar, LayerIndex.Entry tarEntry) throws ImageFormatException {
      UnixPath path = tarEntry.path();
      if (path == null) {
        throw new ImageFormatException(where(layerIndex, layerTar) + "entry '" + tarEntry.displayName()
            + "' has a '..' component");
      }
      if (path.nameStartsWith(WHITEOUT_PREFIX)) {
        UnixPath dir = path.parent();
        if (path.nameEquals(OPAQUE_MARKER)) {
          hideLowerChildren(dir, layerIndex);
        } else if (!path.nameStartsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
          // ".wh..wh.*" other than the opaque marker is aufs bookkeeping, not a deletion.
          byte[] name = path.name();
          if (name.length == WHITEOUT_PREFIX.length()) {
            // The engine would apply it to the directory itself (or fail to); no layer means that.
            throw new ImageFormatException(where(layerIndex, layerTar) + "whiteout '" + tarEntry.displayName()
                + "' names no file");
          }
          removeLower(dir.child(Arrays.copyOfRange(name, WHITEOUT_PREFIX.length(), name.length)), layerIndex);
        }
        return;
      }
      if (path.isRoot() && !tarEntry.tarDirectory()) {
        return;
      }
      EntryType type = tarEntry.type();
      if (type == null) {
        return; // volume labels and other tar kinds that carry no file
      }
      if (type == EntryType.HARDLINK) {
        applyHardlink(layerIndex, layerTar, tarEntry, path);
        return;
      }
      long size = tarEntry.size();
      FileEntry entry = new FileEntry(
          path,
          type,
          tarEntry.mode(),
          tarEntry.uid(),
          tarEntry.gid(),
          size,
          tarEntry.mtimeEpochSeconds(),
          type == EntryType.SYMLINK ? SymlinkTarget.of(tarEntry.linkName()) : null,
          null,
          tarEntry.devMajor(),
          tarEntry.devMinor(),
          layerIndex,
          tarEntry.xattrs());
      ContentRef content = type == EntryType.FILE
          ? new ContentRef(layerIndex, tarEntry.dataOffset(), size, tarEntry.sparse())
          : null;
      put(path, new Node(entry, content), layerIndex);
    }

    private void applyHardlink(int layerIndex, Path layerTar, LayerIndex.Entry tarEntry, UnixPath path)
        throws ImageFormatException {
      byte[] rawTarget = tarEntry.linkName();
      String shown = UnixPath.display(rawTarget);
      String rawName = tarEntry.displayName();
      // "/etc/x" names the image's own /etc/x, as the engine reads it when it applies the layer:
      // a hardlink target is an entry of the archive, never a host path
      UnixPath target = UnixPath.ofEntryName(rawTarget).orElse(null);
      if (target == null) {
        throw new ImageFormatException(
            where(layerIndex, layerTar) + "hardlink '" + rawName + "' has a target with a '..' component: '" + shown + "'");
      }
      Node targetNode = nodes.get(target);
      if (targetNode == null) {
        throw new ImageFormatException(
            where(layerIndex, layerTar) + "hardlink '" + rawName + "' points to missing entry '" + shown + "'");
      }
      if (target.equals(path)) {
        return; // a link to itself changes nothing
      }
      FileEntry linked = targetNode.entry();
      switch (linked.type()) {
        case DIRECTORY -> throw new ImageFormatException(
            where(layerIndex, layerTar) + "hardlink '" + rawName + "' points to directory '" + shown + "'");
        case FILE, HARDLINK -> {
          // A hardlink shares the inode: same metadata and bytes as the file it names. The
          // content ref is captured now, so later layers replacing the target do not change it.
          UnixPath canonicalTarget = linked.type() == EntryType.FILE ? target : linked.hardlinkTarget();
          FileEntry entry = new FileEntry(path, EntryType.HARDLINK, linked.mode(), linked.uid(), linked.gid(), 0,
              linked.mtimeEpochSeconds(), null, canonicalTarget, 0, 0, layerIndex, linked.xattrs());
          put(path, new Node(entry, targetNode.content()), layerIndex);
        }
        default -> {
          // A hardlink to a symlink, device or fifo is indistinguishable from a copy of it.
          FileEntry entry = new FileEntry(path, linked.type(), linked.mode(), linked.uid(), linked.gid(), 0,
              linked.mtimeEpochSeconds(), linked.symlinkTarget(), null, linked.devMajor(), linked.devMinor(),
              layerIndex, linked.xattrs());
          put(path, new Node(entry, null), layerIndex);
        }
      }
    }

    private void put(UnixPath path, Node node, int layerIndex) {
      // One lookup instead of get-then-put: ancestors, the path and its subtree are disjoint,
      // so the order of the three steps does not matter.
      ensureParentDirectories(path, layerIndex);
      Node existing = nodes.put(path, node);
      if (existing != null && existing.entry().isDirectory() && !node.entry().isDirectory()) {
        subtree(path).clear(); // a non-directory replacing a directory drops what was below
        knownDirectory = null; // it may have been that directory or below it
      }
    }

    /**
     * Keeps the invariant "every entry's ancestors are directories": a missing ancestor (a
     * tar without parent entries) gets a plain 0755 root directory, and a lower layer's
     * non-directory in the way is replaced by one, as overlayfs would show it.
     */
    private void ensureParentDirectories(UnixPath path, int layerIndex) {
      UnixPath parent = path.parent();
      if (parent.equals(knownDirectory)) {
        return;
      }
      knownDirectory = parent;
      while (!parent.isRoot()) {
        Node existing = nodes.get(parent);
        if (existing != null && existing.entry().isDirectory()) {
          return;
        }
        FileEntry dir = new FileEntry(parent, EntryType.DIRECTORY, 0755, 0, 0, 0, 0, null, null, 0, 0, layerIndex,
            Xattrs.NONE);
        nodes.put(parent, new Node(dir, null));
        parent = parent.parent();
      }
    }

    /** ".wh.NAME": NAME and its subtree disappear, if they came from a lower layer. */
    private void removeLower(UnixPath path, int layerIndex) {
      knownDirectory = null;
      Node existing = nodes.get(path);
      if (existing == null || existing.entry().layerIndex() >= layerIndex) {
        return;
      }
      nodes.remove(path);
      subtree(path).clear();
    }

    /** ".wh..wh..opq": every lower-layer entry below {@code dir} disappears. */
    private void hideLowerChildren(UnixPath dir, int layerIndex) {
      knownDirectory = null;
      List<UnixPath> survivors = new ArrayList<>();
      Iterator<Map.Entry<UnixPath, Node>> below = subtree(dir).entrySet().iterator();
      while (below.hasNext()) {
        Map.Entry<UnixPath, Node> child = below.next();
        if (child.getValue().entry().layerIndex() < layerIndex) {
          below.remove();
        } else {
          survivors.add(child.getKey());
        }
      }
      for (UnixPath survivor : survivors) {
        ensureParentDirectories(survivor, layerIndex);
      }
    }

    /** Strict descendants of {@code dir}. */
    private NavigableMap<UnixPath, Node> subtree(UnixPath dir) {
      if (dir.isRoot()) {
        return nodes.tailMap(UnixPath.ROOT, false);
      }
      return nodes.subMap(dir.subtreeStart(), true, dir.subtreeEnd(), false);
    }

    /**
     * A hardlink's target may have been deleted or replaced by a later layer while the link
     * survived. The surviving names still share the old bytes: the first one (path order)
     * becomes the FILE and the others link to it, so every HARDLINK names a FILE with the
     * same content.
     */
    void repairOrphanedHardlinks() {
      Map<ContentRef, UnixPath> fileByContent = new HashMap<>();
      for (Node node : nodes.values()) {
        if (node.entry().type() == EntryType.FILE) {
          fileByContent.put(node.content(), node.entry().path());
        }
      }
      for (Map.Entry<UnixPath, Node> mapping : nodes.entrySet()) {
        Node node = mapping.getValue();
        FileEntry entry = node.entry();
        if (entry.type() != EntryType.HARDLINK) {
          continue;
        }
        Node target = nodes.get(entry.hardlinkTarget());
        if (target != null && target.entry().type() == EntryType.FILE && node.content().equals(target.content())) {
          continue;
        }
        UnixPath owner = fileByContent.get(node.content());
        FileEntry repaired;
        if (owner != null) {
          repaired = withLink(entry, EntryType.HARDLINK, 0, owner);
        } else {
          repaired = withLink(entry, EntryType.FILE, node.content().size(), null);
          fileByContent.put(node.content(), entry.path());
        }
        mapping.setValue(new Node(repaired, node.content()));
      }
    }

    private static FileEntry withLink(FileEntry e, EntryType type, long size, UnixPath hardlinkTarget) {
      return new FileEntry(e.path(), type, e.mode(), e.uid(), e.gid(), size, e.mtimeEpochSeconds(), null,
          hardlinkTarget, e.devMajor(), e.devMinor(), e.layerIndex(), e.xattrs());
    }

    private static String where(int layerIndex, Path layerTar) {
      return "layer " + layerIndex + " (" + layerTar.getFileName() + "): ";
    }
  }
}
