package io.minify.image;

import java.util.Map;

/**
 * One entry of an image's merged filesystem (after all layers and whiteouts are applied).
 *
 * @param path       absolute, normalized, no trailing slash ("/", "/usr/bin/env")
 * @param type       entry kind
 * @param mode       permission bits including setuid/setgid/sticky (e.g. 0755, 01777)
 * @param uid        numeric owner
 * @param gid        numeric group
 * @param size       content size for FILE, 0 otherwise
 * @param mtimeEpochSeconds modification time in seconds since the epoch
 * @param linkTarget symlink target as stored (relative or absolute) for SYMLINK; for HARDLINK
 *                   the absolute normalized path of the entry it links to; null otherwise
 * @param devMajor   device major number for device entries, else 0
 * @param devMinor   device minor number for device entries, else 0
 * @param layerIndex index (0 = bottom) of the layer the winning version comes from
 * @param xattrs     extended attributes as PAX "SCHILY.xattr.*" records (name without prefix)
 */
public record FileEntry(
    String path,
    EntryType type,
    int mode,
    int uid,
    int gid,
    long size,
    long mtimeEpochSeconds,
    String linkTarget,
    int devMajor,
    int devMinor,
    int layerIndex,
    Map<String, String> xattrs) {

  public FileEntry {
    xattrs = Map.copyOf(xattrs);
  }

  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }
}
