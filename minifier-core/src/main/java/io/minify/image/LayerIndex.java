package io.minify.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The entries of ONE layer tar, in archive order, with the offset of each file's content in
 * the layer file. It knows nothing of the other layers: whiteouts and overrides are applied
 * when {@link LayeredImageFilesystem} merges the indexes of all layers.
 *
 * <p>It is built either while the layer streams out of {@code docker save} (see
 * {@link SavedImage#read}) or by scanning the layer file; both give the same index, so the
 * merge cannot tell them apart. Immutable.
 */
public final class LayerIndex {
  private static final String XATTR_PAX_PREFIX = "SCHILY.xattr.";

  /**
   * One tar entry, reduced to what the merge needs.
   *
   * @param rawName      the name as stored, for error messages
   * @param path         {@link ImagePaths#normalizeEntryName normalized} name, null when it has a '..' component
   * @param type         the entry kind, null for tar kinds that carry no file (volume labels)
   * @param tarDirectory what commons-compress calls a directory (also a name ending in '/')
   * @param size         content size for FILE (the real size of a sparse file), else 0
   * @param linkName     symlink or hardlink target as stored
   * @param dataOffset   where the content starts in the layer file
   * @param sparseEntry  the parsed entry when the file is sparse (only from a file scan), else null
   */
  record Entry(String rawName, String path, EntryType type, boolean tarDirectory, int mode, int uid, int gid,
      long size, long mtimeEpochSeconds, String linkName, int devMajor, int devMinor, Map<String, String> xattrs,
      long dataOffset, TarArchiveEntry sparseEntry) {

    static Entry of(TarArchiveEntry tarEntry, long dataOffset) {
      EntryType type = typeOf(tarEntry);
      boolean sparse = tarEntry.isSparse();
      boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
      return new Entry(
          tarEntry.getName(),
          ImagePaths.normalizeEntryName(tarEntry.getName()),
          type,
          tarEntry.isDirectory(),
          tarEntry.getMode() & 07777,
          (int) tarEntry.getLongUserId(),
          (int) tarEntry.getLongGroupId(),
          type == EntryType.FILE ? (sparse ? tarEntry.getRealSize() : tarEntry.getSize()) : 0,
          tarEntry.getLastModifiedTime().to(TimeUnit.SECONDS),
          tarEntry.getLinkName(),
          device ? tarEntry.getDevMajor() : 0,
          device ? tarEntry.getDevMinor() : 0,
          xattrsOf(tarEntry),
          dataOffset,
          sparse ? tarEntry : null);
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

  /** Whether a layer file may hold content that positional reads cannot serve. */
  boolean hasSparseEntries() {
    return entries.stream().anyMatch(e -> e.sparseEntry() != null);
  }

  /**
   * Indexes a layer tar while it is being read, for a caller that copies every byte it reads
   * (see {@link EntrySpooler}). {@code bytesRead} must report how many bytes of {@code layer}
   * have been read so far: commons-compress reads headers record by record without read-ahead, so
   * right after {@code getNextEntry()} that count is the entry's data offset.
   *
   * <p>Reads up to the tar's end-of-archive marker, not to the end of the stream.
   *
   * @return the entries, or null when the layer has sparse files: their content is not one
   *     contiguous range, so the layer is scanned from its file later (as before)
   * @throws IOException when the bytes are not a tar (the caller decides what that means)
   */
  static List<Entry> readWhileStreaming(InputStream layer, LongSupplier bytesRead)
      throws IOException {
    // Not closed: closing would close the stream the caller still drains.
    TarArchiveInputStream tar = new TarArchiveInputStream(layer);
    List<Entry> entries = new ArrayList<>();
    TarArchiveEntry tarEntry;
    while ((tarEntry = tar.getNextEntry()) != null) {
      if (tarEntry.isSparse()) {
        return null;
      }
      entries.add(Entry.of(tarEntry, bytesRead.getAsLong()));
    }
    return entries;
  }

  private static EntryType typeOf(TarArchiveEntry e) {
    if (e.isSymbolicLink()) {
      return EntryType.SYMLINK;
    } else if (e.isLink()) {
      return EntryType.HARDLINK;
    } else if (e.isCharacterDevice()) {
      return EntryType.CHAR_DEVICE;
    } else if (e.isBlockDevice()) {
      return EntryType.BLOCK_DEVICE;
    } else if (e.isFIFO()) {
      return EntryType.FIFO;
    } else if (e.isDirectory()) {
      return EntryType.DIRECTORY;
    }
    byte flag = e.getLinkFlag();
    if (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG
        || e.isSparse()) {
      return EntryType.FILE;
    }
    return null;
  }

  private static Map<String, String> xattrsOf(TarArchiveEntry e) {
    Map<String, String> pax = e.getExtraPaxHeaders();
    if (pax.isEmpty()) {
      return Map.of();
    }
    Map<String, String> xattrs = new HashMap<>();
    pax.forEach((key, value) -> {
      if (key.startsWith(XATTR_PAX_PREFIX)) {
        xattrs.put(key.substring(XATTR_PAX_PREFIX.length()), value);
      }
    });
    return Map.copyOf(xattrs);
  }
}
