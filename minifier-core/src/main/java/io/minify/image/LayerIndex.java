package io.minify.image;

import io.minify.path.UnixPath;
import io.minify.tar.SparseMap;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import io.minify.tar.Xattrs;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of ONE layer tar, in archive order, with the offset of each file's content in
 * the layer file. It knows nothing of the other layers: whiteouts and overrides are applied
 * when {@link LayeredImageFilesystem} merges the indexes of all layers.
 *
 * <p>It is built either while the layer streams out of {@code docker save} (see
 * {@link SavedImage#read}) or by scanning the layer file; both read the tar with the same
 * {@link TarReader}, so the merge cannot tell them apart. Names, link names and xattrs stay
 * the bytes the layer holds. Immutable.
 */
public final class LayerIndex {

  /**
   * One tar entry, reduced to what the merge needs.
   *
   * @param path         normalized name; null when it has a '..' component
   * @param unsafeName   the name as stored when {@code path} is null (for the error), else null
   * @param type         the entry kind, null for tar kinds that carry no file (volume labels)
   * @param tarDirectory whether the tar calls it a directory (also a name ending in '/')
   * @param size         content size for FILE (the real size of a sparse file), else 0
   * @param linkName     symlink or hardlink target as stored
   * @param dataOffset   where the stored content starts in the layer file
   * @param sparse       the segment map of a sparse file, else null
   */
  record Entry(UnixPath path, String unsafeName, EntryType type, boolean tarDirectory, int mode, int uid, int gid,
      long size, long mtimeEpochSeconds, byte[] linkName, int devMajor, int devMinor, Xattrs xattrs,
      long dataOffset, SparseMap sparse) {

    static Entry of(TarHeader header) {
      EntryType type = typeOf(header);
      boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
      UnixPath path = UnixPath.ofEntryName(header.name()).orElse(null);
      return new Entry(
          path,
          path == null ? header.displayName() : null,
          type,
          header.isDirectory(),
          header.mode(),
          (int) header.uid(),
          (int) header.gid(),
          type == EntryType.FILE ? header.size() : 0,
          header.mtimeEpochSeconds(),
          header.linkName(),
          device ? header.devMajor() : 0,
          device ? header.devMinor() : 0,
          header.xattrs(),
          header.dataOffset(),
          header.sparse());
    }

    // linkName is an array: compare it by value, so two indexes of the same bytes are equal.
    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && java.util.Objects.equals(path, e.path)
          && java.util.Objects.equals(unsafeName, e.unsafeName) && type == e.type && tarDirectory == e.tarDirectory
          && mode == e.mode && uid == e.uid && gid == e.gid && size == e.size
          && mtimeEpochSeconds == e.mtimeEpochSeconds && java.util.Arrays.equals(linkName, e.linkName)
          && devMajor == e.devMajor && devMinor == e.devMinor && xattrs.equals(e.xattrs)
          && dataOffset == e.dataOffset && java.util.Objects.equals(sparse, e.sparse);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(path, type, size, dataOffset) * 31 + java.util.Arrays.hashCode(linkName);
    }

    /** The name for messages. */
    String displayName() {
      return path == null ? unsafeName : UnixPath.display(path.relativeBytes());
    }
  }

  private final List<Entry> entries;
  private final long layerBytes;

  LayerIndex(List<Entry> entries, long layerBytes) {
    this.entries = List.copyOf(entries);
    this.layerBytes = layerBytes;
  }

  /** Entries in archive order (the order matters: a layer may name a path twice). */
  List<Entry> entries() {
    return entries;
  }

  /** Size of the layer file the offsets refer to; a file of another size gets rescanned. */
  long layerBytes() {
    return layerBytes;
  }

  /** Number of tar entries (for diagnostics). */
  public int size() {
    return entries.size();
  }

  /**
   * Indexes a layer tar while it is being read, for a caller that copies every byte it reads
   * (see {@link EntrySpooler}); offsets are counted from the first byte of {@code layer}.
   * Reads up to the tar's end-of-archive marker, not to the end of the stream.
   *
   * @throws IOException when the bytes are not a tar (the caller decides what that means)
   */
  static List<Entry> read(InputStream layer) throws IOException {
    TarReader tar = new TarReader(layer);
    List<Entry> entries = new ArrayList<>();
    TarHeader header;
    while ((header = tar.next()) != null) {
      entries.add(Entry.of(header));
    }
    return entries;
  }

  private static EntryType typeOf(TarHeader h) {
    if (h.isDirectory()) {
      return EntryType.DIRECTORY;
    }
    return switch (h.typeFlag()) {
      case TarHeader.SYMLINK -> EntryType.SYMLINK;
      case TarHeader.HARDLINK -> EntryType.HARDLINK;
      case TarHeader.CHAR_DEVICE -> EntryType.CHAR_DEVICE;
      case TarHeader.BLOCK_DEVICE -> EntryType.BLOCK_DEVICE;
      case TarHeader.FIFO -> EntryType.FIFO;
      default -> h.isRegularFile() ? EntryType.FILE : null;
    };
  }
}
