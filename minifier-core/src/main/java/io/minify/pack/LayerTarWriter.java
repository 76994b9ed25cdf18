package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.image.WorkFiles;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.path.UnixPath;
import io.minify.stream.ConcurrentDigestOutputStream;
import io.minify.tar.TarHeader;
import io.minify.tar.TarWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes one layer tar holding exactly a given set of image paths, reproducibly: entries in
 * byte order of their paths, only the metadata an image carries (type, mode, owner ids,
 * mtime, link targets, device numbers, xattrs), empty user/group names, no atime or ctime,
 * PAX headers only for what ustar cannot hold. Names, link targets and xattrs are copied as
 * the bytes the image holds. Same image + same set = same bytes.
 *
 * <p>The caller chooses the set (parent directories included); this class only checks that
 * it is self-consistent. The root directory "/" is never written: the engine creates it.
 */
public final class LayerTarWriter {
  private static final int MAX_HARDLINK_HOPS = 40;
  private static final byte[] NO_LINK = new byte[0];
  /** Reads of the image's files: large enough that a big file takes few system calls, small enough for the JDK's cached direct buffer. */
  private static final int COPY_BUFFER_BYTES = 256 << 10;

  private final ImageFilesystem fs;

  public LayerTarWriter(ImageFilesystem fs) {
    this.fs = fs;
  }

  /**
   * Writes the entries at {@code keptPaths} to {@code outputFile}.
   *
   * @throws IllegalArgumentException when a path is not in the image, or its parent
   *                                  directory is not in the set
   */
  public LayerBlob write(Collection<UnixPath> keptPaths, Path outputFile) throws IOException {
    return write(keptPaths, Map.of(), outputFile);
  }

  /**
   * Writes the entries at {@code keptPaths} to {@code outputFile}, with the bytes of
   * {@code replacedContents} instead of the image's at those paths (regular files only; their
   * metadata stays the image's): the trimmed package database.
   *
   * @throws IllegalArgumentException when a path is not in the image, or its parent
   *                                  directory is not in the set
   */
  public LayerBlob write(Collection<UnixPath> keptPaths, Map<UnixPath, byte[]> replacedContents, Path outputFile)
      throws IOException {
    return write(keptPaths, replacedContents, ContentRewriter.NONE, outputFile);
  }

  /**
   * As {@link #write(Collection, Map, Path)}, with the content of the regular files that
   * {@code rewriter} plans for rewritten as they are copied (ELF files stripped). The first
   * kept name of a hardlinked inode carries the rewritten bytes and later names link to it,
   * so every name sees the same content.
   *
   * @throws IllegalArgumentException when a path is not in the image, or its parent
   *                                  directory is not in the set
   */
  public LayerBlob write(Collection<UnixPath> keptPaths, Map<UnixPath, byte[]> replacedContents,
      ContentRewriter rewriter, Path outputFile) throws IOException {
    List<FileEntry> entries = sortedEntries(keptPaths);
    // Only inodes that a kept hardlink shares can have a second name: the first name of those
    // alone is remembered, not one per file (a map of every file of a large image).
    Set<UnixPath> sharedContent = new HashSet<>();
    for (FileEntry entry : entries) {
      if (entry.type() == EntryType.HARDLINK) {
        sharedContent.add(contentOwner(entry).path());
      }
    }
    Map<UnixPath, UnixPath> firstPathByContent = new HashMap<>();
    MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    byte[] copyBuffer = new byte[COPY_BUFFER_BYTES];
    int written = 0;
    long contentBytes = 0;
    int rewrittenFiles = 0;
    long rewriteSaved = 0;
    // the diff id is hashed on a second thread while this one copies: the two take about as long
    try (OutputStream digesting = new ConcurrentDigestOutputStream(WorkFiles.create(outputFile), sha256)) {
      TarWriter tar = new TarWriter(digesting);
      for (FileEntry entry : entries) {
        byte[] name = entry.path().relativeBytes();
        byte type;
        byte[] link = NO_LINK;
        long contentSize = 0;
        FileEntry content = null;
        Optional<ContentRewriter.Rewrite> rewrite = Optional.empty();
        switch (entry.type()) {
          case DIRECTORY -> {
            type = TarHeader.DIRECTORY;
            name = withTrailingSlash(name);
          }
          case SYMLINK -> {
            type = TarHeader.SYMLINK;
            link = entry.symlinkTarget().bytes();
          }
          case CHAR_DEVICE -> type = TarHeader.CHAR_DEVICE;
          case BLOCK_DEVICE -> type = TarHeader.BLOCK_DEVICE;
          case FIFO -> type = TarHeader.FIFO;
          case FILE, HARDLINK -> {
            if (replacedContents.containsKey(entry.path())) {
              type = TarHeader.REGULAR;
              contentSize = replacedContents.get(entry.path()).length;
              break;
            }
            // The first kept name of an inode carries the bytes; later names link to it,
            // even when the image's original first name is not kept.
            content = contentOwner(entry);
            UnixPath first = sharedContent.contains(content.path())
                ? firstPathByContent.putIfAbsent(content.path(), entry.path())
                : null;
            if (first == null) {
              type = TarHeader.REGULAR;
              rewrite = content.size() > 0 ? rewriter.plan(content) : Optional.empty();
              contentSize = rewrite.map(ContentRewriter.Rewrite::size).orElse(content.size());
            } else {
              type = TarHeader.HARDLINK;
              link = first.relativeBytes();
            }
          }
          default -> throw new IllegalStateException("unknown entry type " + entry.type());
        }
        boolean device = entry.type() == EntryType.CHAR_DEVICE || entry.type() == EntryType.BLOCK_DEVICE;
        tar.putEntry(new TarWriter.Member(name, type, entry.mode() & 07777, Integer.toUnsignedLong(entry.uid()),
            Integer.toUnsignedLong(entry.gid()), contentSize, entry.mtimeEpochSeconds(), link,
            device ? entry.devMajor() : 0, device ? entry.devMinor() : 0, entry.xattrs()));
        byte[] replaced = replacedContents.get(entry.path());
        if (replaced != null) {
          tar.write(replaced, 0, replaced.length);
          contentBytes += contentSize;
        } else if (rewrite.isPresent()) {
          try (InputStream in = fs.open(content)) {
            rewrite.get().write(in, new TarContent(tar));
          }
          contentBytes += contentSize;
          rewrittenFiles++;
          rewriteSaved += content.size() - contentSize;
        } else if (contentSize > 0) {
          copyContent(entry, contentSize, tar, copyBuffer);
          contentBytes += contentSize;
        }
        tar.closeEntry(contentSize);
        written++;
      }
      tar.finish();
    }
    return new LayerBlob(outputFile, Digest.of(sha256), Files.size(outputFile), written,
        contentBytes, rewrittenFiles, rewriteSaved);
  }

  /** The current tar member's content as a stream (the tar writer checks its size). */
  private static final class TarContent extends OutputStream {
    private final TarWriter tar;

    TarContent(TarWriter tar) {
      this.tar = tar;
    }

    @Override
    public void write(int b) throws IOException {
      tar.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      tar.write(b, off, len);
    }
  }

  private static byte[] withTrailingSlash(byte[] name) {
    byte[] withSlash = java.util.Arrays.copyOf(name, name.length + 1);
    withSlash[name.length] = '/';
    return withSlash;
  }

  private List<FileEntry> sortedEntries(Collection<UnixPath> keptPaths) {
    TreeMap<UnixPath, FileEntry> byPath = new TreeMap<>();
    for (UnixPath kept : keptPaths) {
      if (kept.isRoot()) {
        continue; // the root exists in every container; the engine owns it
      }
      FileEntry entry = fs.entry(kept)
          .orElseThrow(() -> new IllegalArgumentException("kept path '" + kept + "' is not in the image"));
      byPath.put(entry.path(), entry);
    }
    Set<UnixPath> directories = new HashSet<>();
    byPath.values().stream().filter(FileEntry::isDirectory).forEach(dir -> directories.add(dir.path()));
    for (UnixPath path : byPath.keySet()) {
      UnixPath parent = path.parent();
      if (!parent.isRoot() && !directories.contains(parent)) {
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
      UnixPath target = current.hardlinkTarget();
      if (hops >= MAX_HARDLINK_HOPS || target == null) {
        throw new IllegalStateException("hardlink chain from '" + entry.path() + "' does not end at a file");
      }
      current = fs.entry(target).orElseThrow(() -> new IllegalStateException(
          "hardlink '" + entry.path() + "' points to missing '" + target + "'"));
    }
    return current;
  }

  private void copyContent(FileEntry entry, long size, TarWriter tar, byte[] buffer) throws IOException {
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
