package io.minify.tar;

import io.minify.path.UnixPath;
import io.minify.stream.SingleByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tar stream member by member, keeping names, link names and PAX values as the bytes
 * they are. Understands what image layers contain: POSIX ustar (with the name prefix), PAX
 * extended and global headers, GNU long names and link names, base-256 numbers, and the
 * sparse formats of GNU tar (old GNU 'S' members and PAX 0.0, 0.1 and 1.0).
 *
 * <p>It reads exactly the bytes of each header and skips data with {@link InputStream#skip},
 * never ahead, so a caller that counts what it hands over knows every member's data offset
 * (see {@link TarHeader#dataOffset()}); the reader counts them itself too.
 *
 * <p>Header-only members (links, directories, devices, FIFOs) carry no data whatever their
 * size field says, as the engine's own tar reader treats them.
 */
public final class TarReader {
  private static final int BLOCK = 512;
  /** A PAX or GNU long-name member larger than this is not a name: refuse it instead of allocating. */
  private static final long MAX_EXTENSION_BYTES = 16L << 20;
  private static final byte[] PAX_XATTR = ascii("SCHILY.xattr.");

  private final InputStream in;
  private final byte[] block = new byte[BLOCK];
  private final Map<String, byte[]> globalPax = new LinkedHashMap<>();
  private long position;
  /** Bytes of the current member's data and padding not read yet. */
  private long unreadData;
  /** Bytes of the current member's data the caller may still read through {@link #content()}. */
  private long unreadContent;
  private boolean ended;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** Bytes read from the stream so far. */
  public long position() {
    return position;
  }

  /**
   * The next member, or null at the end of the archive (two zero blocks, or the end of the
   * stream at a block boundary). Skips whatever is left of the previous member's data.
   *
   * @throws TarFormatException when the bytes are not a tar header
   */
  public TarHeader next() throws IOException {
    if (ended) {
      return null;
    }
    skipRest();
    PaxState pax = new PaxState(globalPax);
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      if (!readBlock()) {
        ended = true;
        return null;
      }
      if (isZero(block)) {
        // End of archive. A second zero block normally follows; a stream may also just end.
        readBlock();
        ended = true;
        return null;
      }
      verifyChecksum();
      byte type = block[156];
      long size = number(124, 12, "size");
      switch (type) {
        case 'x', 'g' -> {
          byte[] records = readExtension(size, "PAX header");
          if (type == 'g') {
            // Global records apply to every later member; xattrs and sparse maps are per file.
            PaxState global = new PaxState(globalPax);
            parsePax(records, global);
            globalPax.clear();
            globalPax.putAll(global.values);
            pax.values.putAll(global.values);
          } else {
            parsePax(records, pax);
          }
        }
        case 'L' -> longName = trimNul(readExtension(size, "GNU long name"));
        case 'K' -> longLink = trimNul(readExtension(size, "GNU long link name"));
        default -> {
          return member(type, size, pax, longName, longLink);
        }
      }
    }
  }

  /**
   * The data of the member {@link #next()} returned last (its stored bytes; for a sparse
   * member, the stored segments one after the other). Valid until the next call of next().
   */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return SingleByte.read(this);
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (unreadContent <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, unreadContent));
        if (n < 0) {
          throw new TarFormatException("the archive ends inside a member's data");
        }
        unreadContent -= n;
        unreadData -= n;
        position += n;
        return n;
      }
    };
  }

  /** What the extended headers before a member said about it. */
  private static final class PaxState {
    final Map<String, byte[]> values;
    final Xattrs.Builder xattrs = Xattrs.builder();
    /** PAX 0.0 sparse maps: GNU.sparse.offset and GNU.sparse.numbytes records, in order. */
    final List<Long> sparsePairs = new ArrayList<>();

    PaxState(Map<String, byte[]> inherited) {
      this.values = new LinkedHashMap<>(inherited);
    }

    byte[] get(String key) {
      return values.get(key);
    }
  }

  private TarHeader member(byte type, long size, PaxState paxState, byte[] longName, byte[] longLink)
      throws IOException {
    Map<String, byte[]> pax = paxState.values;
    boolean ustar = Arrays.equals(block, 257, 263, ascii("ustar\0"), 0, 6);
    boolean gnu = Arrays.equals(block, 257, 265, ascii("ustar  \0"), 0, 8);
    byte[] name = field(0, 100);
    if (ustar && block[345] != 0) {
      byte[] prefix = field(345, 155);
      byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
      joined[prefix.length] = '/';
      System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
      name = joined;
    }
    if (longName != null) {
      name = longName;
    }
    byte[] linkName = longLink != null ? longLink : field(157, 100);
    int mode = (int) (number(100, 8, "mode") & 07777);
    long uid = number(108, 8, "uid");
    long gid = number(116, 8, "gid");
    long mtime = number(136, 12, "mtime");
    int devMajor = (ustar || gnu) ? (int) number(329, 8, "devmajor") : 0;
    int devMinor = (ustar || gnu) ? (int) number(337, 8, "devminor") : 0;

    if (pax.containsKey("path")) {
      name = pax.get("path");
    }
    if (pax.containsKey("linkpath")) {
      linkName = pax.get("linkpath");
    }
    uid = paxNumber(pax, "uid", uid);
    gid = paxNumber(pax, "gid", gid);
    size = paxNumber(pax, "size", size);
    if (pax.containsKey("mtime")) {
      mtime = paxSeconds(pax.get("mtime"));
    }
    devMajor = (int) paxNumber(pax, "SCHILY.devmajor", devMajor);
    devMinor = (int) paxNumber(pax, "SCHILY.devminor", devMinor);

    boolean headerOnly = type == TarHeader.HARDLINK || type == TarHeader.SYMLINK || type == TarHeader.CHAR_DEVICE
        || type == TarHeader.BLOCK_DEVICE || type == TarHeader.DIRECTORY || type == TarHeader.FIFO;
    long stored = headerOnly ? 0 : size;
    if (stored < 0) {
      throw new TarFormatException("member '" + UnixPath.display(name) + "' has a negative size");
    }
    SparseMap sparse = null;
    long realSize = size;
    if (type == TarHeader.GNU_SPARSE) {
      sparse = oldGnuSparse(name); // reads the extension blocks, which come before the data
      realSize = sparse.realSize();
    }
    unreadData = padded(stored);
    unreadContent = stored;
    long dataOffset = position;
    boolean paxSparse = pax.containsKey("GNU.sparse.major") || pax.containsKey("GNU.sparse.map")
        || !paxState.sparsePairs.isEmpty() || pax.containsKey("GNU.sparse.numblocks");
    if (type != TarHeader.GNU_SPARSE && paxSparse) {
      if (pax.containsKey("GNU.sparse.name")) {
        name = pax.get("GNU.sparse.name");
      }
      if ("1".equals(text(pax.get("GNU.sparse.major")))) {
        long before = position;
        List<SparseMap.Segment> segments = sparseMapInData(name);
        long mapBytes = position - before;
        dataOffset = position;
        realSize = paxNumber(pax, "GNU.sparse.realsize", -1);
        sparse = new SparseMap(segments, realSize);
        stored -= mapBytes;
      } else {
        realSize = paxNumber(pax, "GNU.sparse.realsize", paxNumber(pax, "GNU.sparse.size", -1));
        sparse = new SparseMap(paxSparseSegments(paxState, name), realSize);
      }
      if (realSize < 0) {
        throw new TarFormatException("sparse member '" + UnixPath.display(name) + "' has no real size");
      }
    }
    if (sparse != null && sparse.storedBytes() != stored) {
      throw new TarFormatException("sparse member '" + UnixPath.display(name) + "' stores "
          + stored + " bytes but its map lists " + sparse.storedBytes());
    }
    return new TarHeader(name, linkName, type, mode, uid, gid, realSize, mtime, devMajor, devMinor,
        paxState.xattrs.build(), dataOffset, stored, sparse);
  }

  /** The sparse map of an old GNU 'S' member: 4 entries in the header, 21 per extension block. */
  private SparseMap oldGnuSparse(byte[] name) throws IOException {
    List<SparseMap.Segment> segments = new ArrayList<>();
    long realSize = number(483, 12, "realsize");
    addSegments(segments, 386, 4);
    boolean extended = block[482] != 0;
    while (extended) {
      if (!readBlock()) {
        throw new TarFormatException("sparse member '" + UnixPath.display(name)
            + "' ends inside its sparse map");
      }
      addSegments(segments, 0, 21);
      extended = block[504] != 0;
    }
    return new SparseMap(segments, realSize);
  }

  private void addSegments(List<SparseMap.Segment> segments, int offset, int count) throws TarFormatException {
    for (int i = 0; i < count; i++) {
      int at = offset + i * 24;
      if (block[at] == 0) {
        return;
      }
      segments.add(new SparseMap.Segment(number(at, 12, "sparse offset"), number(at + 12, 12, "sparse length")));
    }
  }

  /** PAX 1.0: the map leads the data, decimal numbers one per line, padded to a block. */
  private List<SparseMap.Segment> sparseMapInData(byte[] name) throws IOException {
    InputStream data = content();
    long[] consumed = {0};
    long count = decimalLine(data, name, consumed);
    if (count < 0 || count > MAX_EXTENSION_BYTES) {
      throw badSparseMap(name);
    }
    List<SparseMap.Segment> segments = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      segments.add(new SparseMap.Segment(decimalLine(data, name, consumed), decimalLine(data, name, consumed)));
    }
    for (long pad = padded(consumed[0]) - consumed[0]; pad > 0; pad--) {
      if (data.read() < 0) {
        throw badSparseMap(name);
      }
    }
    return segments;
  }

  private static long decimalLine(InputStream data, byte[] name, long[] consumed) throws IOException {
    long value = 0;
    int digits = 0;
    while (true) {
      int b = data.read();
      if (b < 0) {
        throw badSparseMap(name);
      }
      consumed[0]++;
      if (b == '\n') {
        break;
      }
      if (b < '0' || b > '9' || ++digits > 18) {
        throw badSparseMap(name);
      }
      value = value * 10 + (b - '0');
    }
    if (digits == 0) {
      throw badSparseMap(name);
    }
    return value;
  }

  private static TarFormatException badSparseMap(byte[] name) {
    return new TarFormatException("sparse member '" + UnixPath.display(name) + "' has a bad or cut sparse map");
  }

  /** PAX 0.0 (repeated offset/numbytes records) and 0.1 ("GNU.sparse.map" = "o,n,o,n"). */
  private static List<SparseMap.Segment> paxSparseSegments(PaxState pax, byte[] name) throws TarFormatException {
    List<Long> numbers = new ArrayList<>();
    byte[] map = pax.get("GNU.sparse.map");
    if (map != null) {
      for (String number : text(map).split(",")) {
        if (!number.isEmpty()) {
          numbers.add(decimal(number, name));
        }
      }
    } else {
      numbers.addAll(pax.sparsePairs);
    }
    if (numbers.size() % 2 != 0) {
      throw badSparseMap(name);
    }
    List<SparseMap.Segment> segments = new ArrayList<>();
    for (int i = 0; i < numbers.size(); i += 2) {
      segments.add(new SparseMap.Segment(numbers.get(i), numbers.get(i + 1)));
    }
    return segments;
  }

  private static long decimal(String s, byte[] name) throws TarFormatException {
    try {
      long v = Long.parseLong(s.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw badSparseMap(name);
    }
  }

  /** Parses PAX records ("LEN KEY=VALUE\n"). Keywords are text by definition; values stay bytes. */
  private static void parsePax(byte[] records, PaxState into) throws TarFormatException {
    int i = 0;
    while (i < records.length) {
      if (records[i] == 0) {
        break; // some writers pad the member with NULs
      }
      int space = i;
      long length = 0;
      while (space < records.length && records[space] >= '0' && records[space] <= '9') {
        length = length * 10 + (records[space] - '0');
        if (length > records.length) {
          throw new TarFormatException("a PAX record is longer than its extended header");
        }
        space++;
      }
      if (space == i || space >= records.length || records[space] != ' ' || i + length > records.length
          || length < space - i + 3 || records[(int) (i + length - 1)] != '\n') {
        throw new TarFormatException("malformed PAX record at byte " + i + " of an extended header");
      }
      int end = (int) (i + length - 1);
      int equals = space + 1;
      while (equals < end && records[equals] != '=') {
        equals++;
      }
      if (equals >= end) {
        throw new TarFormatException("PAX record without '=' at byte " + i + " of an extended header");
      }
      byte[] key = Arrays.copyOfRange(records, space + 1, equals);
      byte[] value = Arrays.copyOfRange(records, equals + 1, end);
      if (startsWith(key, PAX_XATTR)) {
        into.xattrs.put(Arrays.copyOfRange(key, PAX_XATTR.length, key.length), value);
      } else {
        String keyword = new String(key, StandardCharsets.UTF_8);
        if (keyword.equals("GNU.sparse.offset") || keyword.equals("GNU.sparse.numbytes")) {
          into.sparsePairs.add(decimal(text(value), key));
        } else if (value.length == 0) {
          into.values.remove(keyword); // an empty value cancels a global or earlier value
        } else {
          into.values.put(keyword, value);
        }
      }
      i = (int) (i + length);
    }
  }

  private static long paxNumber(Map<String, byte[]> pax, String key, long fallback) throws TarFormatException {
    byte[] value = pax.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text(value).trim());
    } catch (NumberFormatException e) {
      throw new TarFormatException("PAX record '" + key + "' is not a number: '" + text(value) + "'");
    }
  }

  /** A PAX time ("1700000000.123456789", possibly negative): whole seconds, rounded down. */
  private static long paxSeconds(byte[] value) throws TarFormatException {
    String t = text(value).trim();
    try {
      return new java.math.BigDecimal(t).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TarFormatException("PAX record 'mtime' is not a time: '" + t + "'");
    }
  }

  private static String text(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.US_ASCII);
  }

  private byte[] readExtension(long size, String what) throws IOException {
    if (size < 0 || size > MAX_EXTENSION_BYTES) {
      throw new TarFormatException("a " + what + " of " + size + " bytes is not plausible");
    }
    byte[] data = in.readNBytes((int) size);
    position += data.length;
    if (data.length != size) {
      throw new TarFormatException("the archive ends inside a " + what);
    }
    long pad = padded(size) - size;
    skipFully(pad);
    return data;
  }

  private void skipRest() throws IOException {
    if (unreadData > 0) {
      skipFully(unreadData);
    }
    unreadData = 0;
    unreadContent = 0;
  }

  private void skipFully(long n) throws IOException {
    long remaining = n;
    while (remaining > 0) {
      long skipped = in.skip(remaining);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new TarFormatException("the archive ends inside a member's data");
        }
        skipped = 1;
      }
      remaining -= skipped;
      position += skipped;
    }
  }

  /** Reads one block; false at the end of the stream before its first byte. */
  private boolean readBlock() throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    position += n;
    if (n == 0) {
      return false;
    }
    if (n != BLOCK) {
      throw new TarFormatException("the archive ends inside a header (" + n + " of 512 bytes)");
    }
    return true;
  }

  private void verifyChecksum() throws TarFormatException {
    long stored;
    try {
      stored = number(148, 8, "checksum");
    } catch (TarFormatException e) {
      throw new TarFormatException("not a tar header at byte " + (position - BLOCK) + " (bad checksum field)");
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw new TarFormatException("not a tar header at byte " + (position - BLOCK) + " (checksum mismatch)");
    }
  }

  /** An octal field (NUL/space terminated, leading spaces allowed) or a base-256 one. */
  private long number(int offset, int length, String field) throws TarFormatException {
    if ((block[offset] & 0x80) != 0) {
      boolean negative = (block[offset] & 0x40) != 0;
      long value = negative ? -1 : 0;
      for (int i = 0; i < length; i++) {
        int b = block[offset + i] & 0xff;
        if (i == 0) {
          b &= 0x7f;
          if (negative) {
            b |= 0x80;
          }
        }
        if (i < length - 8 && b != (negative ? 0xff : 0)) {
          throw new TarFormatException("base-256 " + field + " field overflows 64 bits");
        }
        value = (value << 8) | b;
      }
      return value;
    }
    long value = 0;
    int i = offset;
    int end = offset + length;
    while (i < end && block[i] == ' ') {
      i++; // some writers right-align with spaces
    }
    boolean any = false;
    for (; i < end; i++) {
      byte b = block[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new TarFormatException("tar header field '" + field + "' is not octal");
      }
      any = true;
      value = (value << 3) | (b - '0');
    }
    return any ? value : 0;
  }

  private byte[] field(int offset, int length) {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(block, offset, end);
  }

  private static byte[] trimNul(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return Arrays.copyOf(bytes, end);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] value, byte[] prefix) {
    return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
  }

  static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
