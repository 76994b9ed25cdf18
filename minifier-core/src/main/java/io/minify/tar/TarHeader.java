package io.minify.tar;

import io.minify.path.UnixPath;

/**
 * One archive member as a tar reader sees it, with every extension (PAX records, GNU long
 * names, sparse maps) already applied. Names are bytes, exactly as stored.
 *
 * @param name        the member name ("usr/bin/env", "./etc/", "etc/x" )
 * @param linkName    the hardlink or symlink target, empty for other members
 * @param typeFlag    the tar type byte ('0', '5', '2', ...; '\0' for old regular files)
 * @param mode        permission bits with setuid/setgid/sticky
 * @param uid         numeric owner
 * @param gid         numeric group
 * @param size        size of the file's content (for a sparse file, its real size)
 * @param mtimeEpochSeconds modification time, whole seconds
 * @param devMajor    device major number
 * @param devMinor    device minor number
 * @param xattrs      extended attributes (PAX SCHILY.xattr.*)
 * @param dataOffset  where the member's stored data starts, counted from the first byte the
 *                    reader read
 * @param storedBytes how many bytes of data the archive stores for it (0 for header-only kinds)
 * @param sparse      the segment map of a sparse file, else null
 */
public record TarHeader(byte[] name, byte[] linkName, byte typeFlag, int mode, long uid, long gid, long size,
    long mtimeEpochSeconds, int devMajor, int devMinor, Xattrs xattrs, long dataOffset, long storedBytes,
    SparseMap sparse) {

  public static final byte REGULAR = '0';
  public static final byte REGULAR_OLD = 0;
  public static final byte HARDLINK = '1';
  public static final byte SYMLINK = '2';
  public static final byte CHAR_DEVICE = '3';
  public static final byte BLOCK_DEVICE = '4';
  public static final byte DIRECTORY = '5';
  public static final byte FIFO = '6';
  public static final byte CONTIGUOUS = '7';
  public static final byte GNU_DUMPDIR = 'D';
  public static final byte GNU_SPARSE = 'S';

  /** Whether the name ends in '/' (old tars mark directories only so). */
  public boolean nameEndsWithSlash() {
    return name.length > 0 && name[name.length - 1] == '/';
  }

  public boolean isDirectory() {
    return typeFlag == DIRECTORY || typeFlag == GNU_DUMPDIR
        || ((typeFlag == REGULAR || typeFlag == REGULAR_OLD) && nameEndsWithSlash());
  }

  /** A regular file (contiguous and sparse files are regular files too). */
  public boolean isRegularFile() {
    return !isDirectory() && (typeFlag == REGULAR || typeFlag == REGULAR_OLD || typeFlag == CONTIGUOUS
        || typeFlag == GNU_SPARSE || sparse != null);
  }

  /** The name for messages. */
  public String displayName() {
    return UnixPath.display(name);
  }

  /** The link target for messages. */
  public String displayLinkName() {
    return UnixPath.display(linkName);
  }

  @Override
  public byte[] name() {
    return name.clone();
  }

  @Override
  public byte[] linkName() {
    return linkName.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TarHeader h && java.util.Arrays.equals(name, h.name)
        && java.util.Arrays.equals(linkName, h.linkName) && typeFlag == h.typeFlag && mode == h.mode
        && uid == h.uid && gid == h.gid && size == h.size && mtimeEpochSeconds == h.mtimeEpochSeconds
        && devMajor == h.devMajor && devMinor == h.devMinor && xattrs.equals(h.xattrs)
        && dataOffset == h.dataOffset && storedBytes == h.storedBytes && java.util.Objects.equals(sparse, h.sparse);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(name) * 31 + Long.hashCode(dataOffset);
  }

  @Override
  public String toString() {
    return "TarHeader[" + displayName() + ", type " + (char) typeFlag + ", " + size + " bytes at " + dataOffset + "]";
  }
}
