package io.minify.packages;

import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One installed package as rpm's database stores it: a header blob, which is rpm's header
 * without its 8-byte magic. The blob is a big-endian int32 count of index entries, an int32
 * length of the data store, the 16-byte index entries (tag, type, offset into the data
 * store, count) and the data store. Only the tags minify needs are read; names and versions
 * are decoded as UTF-8, paths stay bytes.
 *
 * <p>The blob is an image's: counts and offsets are checked against the data store before
 * anything is read or allocated, and a malformed header is an {@link IOException} with a
 * one-line message, never an index exception.
 *
 * @param pkg   name, architecture ("" for gpg-pubkey), {@code [epoch:]version-release} as
 *              {@code rpm -q --qf '%{EVR}'} prints it, and SIZE in bytes
 * @param files every path the package lists (files and directories), as listed, in header order
 */
record RpmHeader(InstalledPackage pkg, List<UnixPath> files) {
  static final int NAME = 1000;
  static final int VERSION = 1001;
  static final int RELEASE = 1002;
  static final int EPOCH = 1003;
  static final int SIZE = 1009;
  static final int ARCH = 1022;
  static final int DIRINDEXES = 1116;
  static final int BASENAMES = 1117;
  static final int DIRNAMES = 1118;
  static final int LONGSIZE = 5009;

  static final int TYPE_INT32 = 4;
  static final int TYPE_INT64 = 5;
  static final int TYPE_STRING = 6;
  static final int TYPE_STRING_ARRAY = 8;
  static final int TYPE_I18NSTRING = 9;

  /** rpm's own limits (hdrchkTags, hdrchkData): larger counts are corrupt headers. */
  private static final int MAX_INDEX_ENTRIES = 0xffff;
  private static final int MAX_DATA_BYTES = 0x0fffffff;
  private static final int ENTRY_BYTES = 16;

  RpmHeader {
    files = List.copyOf(files);
  }

  /**
   * Parses a header blob.
   *
   * @param where      names the blob in messages ("/var/lib/rpm/rpmdb.sqlite: row 12")
   * @param pathBudget the most bytes its file paths may take: paths share their directory
   *                   names in the blob, so a small hostile blob could name a long directory
   *                   a million times; the caller bounds the whole database's paths
   */
  static RpmHeader parse(byte[] blob, String where, long pathBudget) throws IOException {
    Index index = Index.of(blob, where);
    byte[] name = index.string(NAME).orElseThrow(() -> new IOException(where + ": the header has no NAME"));
    String version = index.string(VERSION).map(RpmHeader::utf8).orElse("");
    String release = index.string(RELEASE).map(RpmHeader::utf8).orElse("");
    Optional<long[]> epoch = index.integers(EPOCH);
    String evr = (epoch.isPresent() && epoch.get().length > 0 ? epoch.get()[0] + ":" : "") + version
        + (release.isEmpty() ? "" : "-" + release);
    String arch = index.string(ARCH).map(RpmHeader::utf8).orElse("");
    // SIZE is 32 bits; a package of 4 GiB or more has LONGSIZE instead.
    Optional<long[]> sizes = index.integers(LONGSIZE);
    if (sizes.isEmpty()) {
      sizes = index.integers(SIZE);
    }
    long size = sizes.filter(v -> v.length > 0).map(v -> v[0]).orElse(0L);
    return new RpmHeader(new InstalledPackage(utf8(name), arch, evr, size), files(index, where, pathBudget));
  }

  /** dirnames[dirindexes[i]] + basenames[i], for each i. */
  private static List<UnixPath> files(Index index, String where, long pathBudget) throws IOException {
    Optional<List<byte[]>> basenames = index.strings(BASENAMES);
    if (basenames.isEmpty()) {
      return List.of(); // a package without files (gpg-pubkey, a meta package)
    }
    List<byte[]> dirnames = index.strings(DIRNAMES)
        .orElseThrow(() -> new IOException(where + ": the header has BASENAMES but no DIRNAMES"));
    long[] dirindexes = index.integers(DIRINDEXES)
        .orElseThrow(() -> new IOException(where + ": the header has BASENAMES but no DIRINDEXES"));
    if (dirindexes.length != basenames.get().size()) {
      throw new IOException(where + ": " + basenames.get().size() + " BASENAMES but " + dirindexes.length
          + " DIRINDEXES");
    }
    long pathBytes = 0;
    for (int i = 0; i < dirindexes.length; i++) {
      long dir = dirindexes[i];
      if (dir < 0 || dir >= dirnames.size()) {
        throw new IOException(where + ": DIRINDEXES[" + i + "] is " + dir + ", but there are " + dirnames.size()
            + " DIRNAMES");
      }
      pathBytes += dirnames.get((int) dir).length + basenames.get().get(i).length;
    }
    if (pathBytes > pathBudget) {
      throw new IOException(where + ": its file paths take " + pathBytes + " bytes, more than the " + pathBudget
          + " left of what the database's size allows");
    }
    List<UnixPath> files = new ArrayList<>(dirindexes.length);
    for (int i = 0; i < dirindexes.length; i++) {
      byte[] dirname = dirnames.get((int) dirindexes[i]);
      byte[] basename = basenames.get().get(i);
      byte[] path = Arrays.copyOf(dirname, dirname.length + basename.length);
      System.arraycopy(basename, 0, path, dirname.length, basename.length);
      if (path.length == 0 || path[0] != '/') {
        throw new IOException(where + ": file " + i + " (" + UnixPath.display(path) + ") is not an absolute path");
      }
      files.add(UnixPath.ofBytes(path)); // no NUL: the strings end at the first one
    }
    return files;
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The index entries and data store of one blob, read with bounds checks. */
  private record Index(byte[] blob, String where, int entries, int dataStart, int dataLength) {

    static Index of(byte[] blob, String where) throws IOException {
      if (blob.length < 8) {
        throw new IOException(where + ": a header blob of " + blob.length + " bytes is shorter than its 8-byte preamble");
      }
      long entries = int32(blob, 0);
      long dataLength = int32(blob, 4);
      if (entries < 1 || entries > MAX_INDEX_ENTRIES) {
        throw new IOException(where + ": the header claims " + entries + " index entries");
      }
      if (dataLength < 0 || dataLength > MAX_DATA_BYTES) {
        throw new IOException(where + ": the header claims " + dataLength + " data bytes");
      }
      long needed = 8 + entries * ENTRY_BYTES + dataLength;
      if (needed > blob.length) {
        throw new IOException(where + ": " + entries + " index entries and " + dataLength + " data bytes need "
            + needed + " bytes, the blob has " + blob.length);
      }
      return new Index(blob, where, (int) entries, 8 + (int) entries * ENTRY_BYTES, (int) dataLength);
    }

    /** The first index entry of {@code tag}: {type, offset, count}, or null. */
    private long[] entry(int tag) throws IOException {
      for (int i = 0; i < entries; i++) {
        int at = 8 + i * ENTRY_BYTES;
        if (int32(blob, at) == tag) {
          long type = int32(blob, at + 4);
          long offset = int32(blob, at + 8);
          long count = int32(blob, at + 12);
          if (offset < 0 || offset > dataLength || count < 0) {
            throw new IOException(where + ": tag " + tag + " has offset " + offset + " and count " + count
                + " in a data store of " + dataLength + " bytes");
          }
          return new long[] {type, offset, count};
        }
      }
      return null;
    }

    /** A STRING, or the first of an I18NSTRING or STRING_ARRAY. */
    Optional<byte[]> string(int tag) throws IOException {
      long[] e = entry(tag);
      if (e == null) {
        return Optional.empty();
      }
      if (e[0] != TYPE_STRING && e[0] != TYPE_I18NSTRING && e[0] != TYPE_STRING_ARRAY) {
        throw new IOException(where + ": tag " + tag + " has type " + e[0] + ", not a string");
      }
      if (e[0] != TYPE_STRING && e[2] < 1) {
        throw new IOException(where + ": tag " + tag + " is an empty string array");
      }
      return Optional.of(strings(tag, (int) e[1], 1).get(0));
    }

    Optional<List<byte[]>> strings(int tag) throws IOException {
      long[] e = entry(tag);
      if (e == null) {
        return Optional.empty();
      }
      if (e[0] != TYPE_STRING_ARRAY && e[0] != TYPE_I18NSTRING) {
        throw new IOException(where + ": tag " + tag + " has type " + e[0] + ", not a string array");
      }
      // each string takes at least its NUL: more strings than bytes left cannot be
      if (e[2] > dataLength - e[1]) {
        throw new IOException(where + ": tag " + tag + " claims " + e[2] + " strings in " + (dataLength - e[1])
            + " bytes");
      }
      return Optional.of(strings(tag, (int) e[1], (int) e[2]));
    }

    private List<byte[]> strings(int tag, int offset, int count) throws IOException {
      List<byte[]> strings = new ArrayList<>(count);
      int at = dataStart + offset;
      int end = dataStart + dataLength;
      for (int i = 0; i < count; i++) {
        int nul = at;
        while (nul < end && blob[nul] != 0) {
          nul++;
        }
        if (nul == end) {
          throw new IOException(where + ": string " + i + " of tag " + tag + " runs past the data store");
        }
        strings.add(Arrays.copyOfRange(blob, at, nul));
        at = nul + 1;
      }
      return strings;
    }

    /** An INT32 (read as unsigned, as rpm's sizes are) or INT64 array. */
    Optional<long[]> integers(int tag) throws IOException {
      long[] e = entry(tag);
      if (e == null) {
        return Optional.empty();
      }
      int width = e[0] == TYPE_INT32 ? 4 : e[0] == TYPE_INT64 ? 8 : 0;
      if (width == 0) {
        throw new IOException(where + ": tag " + tag + " has type " + e[0] + ", not an integer");
      }
      if (e[2] * width > dataLength - e[1]) {
        throw new IOException(where + ": tag " + tag + " claims " + e[2] + " integers in " + (dataLength - e[1])
            + " bytes");
      }
      long[] values = new long[(int) e[2]];
      int at = dataStart + (int) e[1];
      for (int i = 0; i < values.length; i++) {
        values[i] = width == 4 ? int32(blob, at + 4 * i) & 0xffffffffL
            : (int32(blob, at + 8 * i) << 32) | (int32(blob, at + 8 * i + 4) & 0xffffffffL);
      }
      return Optional.of(values);
    }

    /** A big-endian int32, sign-extended. */
    private static long int32(byte[] b, int offset) {
      return (b[offset] << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
          | (b[offset + 3] & 0xff);
    }
  }
}
