package io.minify.image;

import io.minify.path.UnixPath;
import io.minify.tar.Xattrs;
import java.util.Objects;

/**
 * One entry of an image's merged filesystem (after all layers and whiteouts are applied).
 *
 * @param path           absolute, normalized ("/", "/usr/bin/env"), as the bytes of the name
 * @param type           entry kind
 * @param mode           permission bits including setuid/setgid/sticky (e.g. 0755, 01777)
 * @param uid            numeric owner
 * @param gid            numeric group
 * @param size           content size for FILE, 0 otherwise
 * @param mtimeEpochSeconds modification time in seconds since the epoch
 * @param symlinkTarget  for SYMLINK, the target as stored (relative or absolute); else null
 * @param hardlinkTarget for HARDLINK, the path of the entry it links to; else null
 * @param devMajor       device major number for device entries, else 0
 * @param devMinor       device minor number for device entries, else 0
 * @param layerIndex     index (0 = bottom) of the layer the winning version comes from
 * @param xattrs         extended attributes, names and values as bytes
 */
public record FileEntry(
    UnixPath path,
    EntryType type,
    int mode,
    int uid,
    int gid,
    long size,
    long mtimeEpochSeconds,
    SymlinkTarget symlinkTarget,
    UnixPath hardlinkTarget,
    int devMajor,
    int devMinor,
    int layerIndex,
    Xattrs xattrs) {

  public FileEntry {
    Objects.requireNonNull(path);
    Objects.requireNonNull(type);
    Objects.requireNonNull(xattrs);
  }

  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }

  /** A regular file or another name of one: an entry with content. */
  public boolean hasContent() {
    return type == EntryType.FILE || type == EntryType.HARDLINK;
  }

  /** FIFOs, character and block devices: entries the kernel never reports opens of. */
  public boolean isSpecialFile() {
    return type == EntryType.FIFO || type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
  }
}
