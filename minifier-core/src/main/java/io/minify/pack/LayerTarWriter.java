package io.minify.pack;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.ImagePaths;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one layer tar holding exactly a given set of image paths, reproducibly: entries in
 * UTF-8 byte order of their paths, only the metadata an image carries (type, mode, owner
 * ids, mtime, link targets, device numbers, xattrs), empty user/group names, no atime or
 * ctime, PAX headers for long names and big values. Same image + same set = same bytes.
 *
 * <p>The caller chooses the set (parent directories included); this class only checks that
 * it is self-consistent. The root directory "/" is never written: the engine creates it.
 */
public final class LayerTarWriter {
  private static final int MAX_HARDLINK_HOPS = 40;
  private static final String XATTR_PAX_PREFIX = "SCHILY.xattr.";
  private static final Comparator<String> UTF8_BYTE_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final ImageFilesystem fs;

  public LayerTarWriter(ImageFilesystem fs) {
    this.fs = fs;
  }

  /**
   * Writes the entries at {@code keptPaths} (absolute image paths) to {@code outputFile}.
   *
   * @throws IllegalArgumentException when a path is not in the image, or its parent
   *                                  directory is not in the set
   */
  public LayerBlob write(Collection<String> keptPaths, Path outputFile) throws IOException {
    List<FileEntry> entries = sortedEntries(keptPaths);
    Map<String, String> firstPathByContent = new HashMap<>();
    MessageDigest sha256 = Digests.sha256();
    byte[] copyBuffer = new byte[1 << 16];
    int written = 0;
    long contentBytes = 0;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(outputFile), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(file, sha256), "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      for (FileEntry entry : entries) {
        String name = entry.path().substring(1);
        TarArchiveEntry tarEntry;
        long contentSize = -1;
        switch (entry.type()) {
          case DIRECTORY -> tarEntry = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
          case SYMLINK -> {
            tarEntry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            tarEntry.setLinkName(entry.linkTarget());
          }
          case CHAR_DEVICE, BLOCK_DEVICE -> {
            tarEntry = new TarArchiveEntry(name,
                entry.type() == EntryType.CHAR_DEVICE ? TarConstants.LF_CHR : TarConstants.LF_BLK);
            tarEntry.setDevMajor(entry.devMajor());
            tarEntry.setDevMinor(entry.devMinor());
          }
          case FIFO -> tarEntry = new TarArchiveEntry(name, TarConstants.LF_FIFO);
          case FILE, HARDLINK -> {
            // The first kept name of an inode carries the bytes; later names link to it,
            // even when the image's original first name is not kept.
            FileEntry content = contentOwner(entry);
            String first = firstPathByContent.putIfAbsent(content.path(), entry.path());
            if (first == null) {
              tarEntry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
              contentSize = content.size();
              tarEntry.setSize(contentSize);
            } else {
              tarEntry = new TarArchiveEntry(name, TarConstants.LF_LINK);
              tarEntry.setLinkName(first.substring(1));
            }
          }
          default -> throw new IllegalStateException("unknown entry type " + entry.type());
        }
        setMetadata(tarEntry, entry);
        tar.putArchiveEntry(tarEntry);
        if (contentSize >= 0) {
          copyContent(entry, contentSize, tar, copyBuffer);
          contentBytes += contentSize;
        }
        tar.closeArchiveEntry();
        written++;
      }
      tar.finish();
    }
    return new LayerBlob(outputFile, "sha256:" + Digests.hex(sha256.digest()), Files.size(outputFile), written,
        contentBytes);
  }

  private List<FileEntry> sortedEntries(Collection<String> keptPaths) {
    TreeMap<String, FileEntry> byPath = new TreeMap<>(UTF8_BYTE_ORDER);
    for (String kept : keptPaths) {
      if ("/".equals(ImagePaths.normalizeEntryName(kept))) {
        continue; // the root exists in every container; the engine owns it
      }
      FileEntry entry = fs.entry(kept)
          .orElseThrow(() -> new IllegalArgumentException("kept path '" + kept + "' is not in the image"));
      byPath.put(entry.path(), entry);
    }
    Set<String> directories = new HashSet<>();
    byPath.values().stream().filter(FileEntry::isDirectory).forEach(dir -> directories.add(dir.path()));
    for (String path : byPath.keySet()) {
      String parent = ImagePaths.parentOf(path);
      if (!parent.equals("/") && !directories.contains(parent)) {
        throw new IllegalArgumentException(
            "kept path '" + path + "' has no parent directory '" + parent + "' in the kept set");
      }
    }
    return new ArrayList<>(byPath.values());
  }

  /** The FILE entry whose bytes a FILE or HARDLINK entry has. */
  private FileEntry contentOwner(FileEntry entry) {
    FileEntry current = entry;
    for (int hops = 0; current.type() == EntryType.HARDLINK; hops++) {
      String target = current.linkTarget();
      if (hops >= MAX_HARDLINK_HOPS || target == null) {
        throw new IllegalStateException("hardlink chain from '" + entry.path() + "' does not end at a file");
      }
      current = fs.entry(target).orElseThrow(() -> new IllegalStateException(
          "hardlink '" + entry.path() + "' points to missing '" + target + "'"));
    }
    return current;
  }

  private static void setMetadata(TarArchiveEntry tarEntry, FileEntry entry) {
    tarEntry.setMode(entry.mode() & 07777);
    tarEntry.setUserId(Integer.toUnsignedLong(entry.uid()));
    tarEntry.setGroupId(Integer.toUnsignedLong(entry.gid()));
    // commons-compress defaults the user name to the JVM's user: that would vary by machine.
    tarEntry.setUserName("");
    tarEntry.setGroupName("");
    tarEntry.setModTime(FileTime.from(entry.mtimeEpochSeconds(), TimeUnit.SECONDS));
    new TreeMap<>(entry.xattrs()).forEach((key, value) -> tarEntry.addPaxHeader(XATTR_PAX_PREFIX + key, value));
  }

  private void copyContent(FileEntry entry, long size, OutputStream tar, byte[] buffer) throws IOException {
    long remaining = size;
    try (InputStream in = fs.open(entry)) {
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException("content of '" + entry.path() + "' ended after " + (size - remaining)
              + " of " + size + " bytes");
        }
        tar.write(buffer, 0, n);
        remaining -= n;
      }
    }
  }
}
