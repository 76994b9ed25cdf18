package io.minify.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads the rows of a rowid table out of an SQLite 3 database file held in memory: just
 * enough of the file format (header, table b-tree pages, varints, records, overflow chains)
 * for rpm's {@code rpmdb.sqlite}, so minify needs no JDBC driver and no native library.
 * Read-only; index b-trees, free pages and the write-ahead log are never looked at.
 *
 * <p>The file is an image's, so nothing in it is trusted: every offset is checked against
 * its page, every page number against the file, a page is visited at most once per scan
 * (a cycle in the b-tree or an overflow chain is an error, not a loop), the tree is no
 * deeper than SQLite itself allows and a payload no larger than the file could hold. Each
 * problem is an {@link IOException} with a one-line message naming the file and the page.
 */
final class SqliteTableReader {
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final int FILE_HEADER_BYTES = 100;
  private static final int LEAF_TABLE = 0x0d;
  private static final int INTERIOR_TABLE = 0x05;
  /** SQLite's own cursor depth limit (BTCURSOR_MAX_DEPTH): a deeper tree is corrupt. */
  static final int MAX_DEPTH = 20;
  /** SQLite's hard limit on columns (SQLITE_MAX_COLUMN at its largest). */
  private static final int MAX_COLUMNS = 32767;

  private final String name;
  private final byte[] file;
  private final int pageSize;
  private final int usable;
  private final int pageCount;
  private final long maxPayload;

  /** One column value of a record. */
  sealed interface Value permits Null, Int, Real, Text, Blob {}

  record Null() implements Value {}

  record Int(long value) implements Value {}

  record Real(double value) implements Value {}

  /** Text as stored (UTF-8, the only encoding this reader accepts). */
  record Text(byte[] bytes) implements Value {
    String utf8() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  record Blob(byte[] bytes) implements Value {}

  /** Receives the rows of a table in rowid order. */
  interface RowHandler {
    void row(long rowid, List<Value> values) throws IOException;
  }

  private SqliteTableReader(String name, byte[] file, int pageSize, int usable, int pageCount, long maxPayload) {
    this.name = name;
    this.file = file;
    this.pageSize = pageSize;
    this.usable = usable;
    this.pageCount = pageCount;
    this.maxPayload = maxPayload;
  }

  /**
   * Checks the file header.
   *
   * @param name       the file's name, for messages
   * @param file       the whole database file (not copied: the caller hands it over)
   * @param maxPayload the largest row (record bytes) to accept
   */
  static SqliteTableReader open(String name, byte[] file, long maxPayload) throws IOException {
    if (file.length < FILE_HEADER_BYTES || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException(name + ": not an SQLite 3 database (no \"SQLite format 3\" header)");
    }
    int rawPageSize = u16(file, 16);
    int pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
    if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
      throw new IOException(name + ": page size " + rawPageSize + " is not a power of two from 512 to 65536");
    }
    int readVersion = file[19] & 0xff;
    if (readVersion > 2) {
      throw new IOException(name + ": file format read version " + readVersion + " is newer than this reader knows");
    }
    int usable = pageSize - (file[20] & 0xff);
    if (usable < 480) {
      throw new IOException(name + ": " + (file[20] & 0xff) + " reserved bytes leave fewer than 480 usable bytes a page");
    }
    long encoding = u32(file, 56);
    if (encoding > 1) {
      throw new IOException(name + ": text encoding " + encoding + " (UTF-16) is not supported, only UTF-8");
    }
    if (file.length % pageSize != 0) {
      throw new IOException(name + ": truncated: " + file.length + " bytes is not a whole number of " + pageSize
          + "-byte pages");
    }
    long pagesInFile = file.length / pageSize;
    long pageCount = pagesInFile;
    // The header's page count is valid only when written by the same change as the counter.
    long declared = u32(file, 28);
    if (declared > 0 && u32(file, 92) == u32(file, 24)) {
      if (declared > pagesInFile) {
        throw new IOException(name + ": truncated: the header says " + declared + " pages, the file holds "
            + pagesInFile);
      }
      pageCount = declared;
    }
    return new SqliteTableReader(name, file, pageSize, usable, (int) pageCount, maxPayload);
  }

  int pageCount() {
    return pageCount;
  }

  /**
   * The root page of table {@code table} (compared ignoring ASCII case, as SQL names are),
   * from the schema table on page 1; empty when the database has no such table.
   */
  Optional<Integer> rootPageOf(String table) throws IOException {
    List<Integer> roots = new ArrayList<>();
    scanTable(1, (rowid, values) -> {
      // sqlite_schema(type, name, tbl_name, rootpage, sql)
      if (values.size() >= 4 && values.get(0) instanceof Text type && type.utf8().equals("table")
          && values.get(1) instanceof Text tableName && tableName.utf8().equalsIgnoreCase(table)) {
        if (!(values.get(3) instanceof Int root) || root.value() < 1 || root.value() > pageCount) {
          throw new IOException(name + ": page 1: the schema gives table " + table + " no valid root page");
        }
        roots.add((int) root.value());
      }
    });
    return roots.stream().findFirst();
  }

  /** Calls {@code handler} with every row of the table b-tree rooted at {@code rootPage}, in rowid order. */
  void scanTable(int rootPage, RowHandler handler) throws IOException {
    new Scan(handler).page(rootPage, 0, "the table's root");
  }

  /** One walk of a tree: the pages it used (each may be used once) and the payload bytes it read. */
  private final class Scan {
    private final RowHandler handler;
    private final BitSet used = new BitSet();
    private long payloadBytes;

    Scan(RowHandler handler) {
      this.handler = handler;
    }

    void page(int page, int depth, String from) throws IOException {
      if (depth > MAX_DEPTH) {
        throw fail(page, "the table b-tree is deeper than " + MAX_DEPTH + " levels");
      }
      if (page < 1 || page > pageCount) {
        throw new IOException(name + ": " + from + " points to page " + page + ", not one of the file's " + pageCount
            + " pages");
      }
      use(page, from);
      int base = offsetOf(page);
      int header = page == 1 ? FILE_HEADER_BYTES : 0;
      int type = file[base + header] & 0xff;
      boolean leaf = type == LEAF_TABLE;
      if (!leaf && type != INTERIOR_TABLE) {
        throw fail(page, String.format("not a table b-tree page (page type 0x%02x)", type));
      }
      int cells = u16(file, base + header + 3);
      int pointers = header + (leaf ? 8 : 12);
      if (pointers + 2L * cells > usable) {
        throw fail(page, cells + " cell pointers do not fit the page");
      }
      for (int i = 0; i < cells; i++) {
        int cell = u16(file, base + pointers + 2 * i);
        if (cell < pointers + 2 * cells || cell >= usable) {
          throw fail(page, "cell " + i + " starts at offset " + cell + ", outside the page's cell area");
        }
        if (leaf) {
          leafCell(page, i, base + cell, base + usable);
        } else {
          if (cell + 4 > usable) {
            throw fail(page, "cell " + i + " runs past the page");
          }
          page(checkedPage(u32(file, base + cell), page, "cell " + i), depth + 1, "page " + page + " cell " + i);
        }
      }
      if (!leaf) {
        long right = u32(file, base + header + 8);
        page(checkedPage(right, page, "the right-most pointer"), depth + 1, "page " + page + "'s right-most pointer");
      }
    }

    private void leafCell(int page, int index, int start, int end) throws IOException {
      Cursor cursor = new Cursor(page, "cell " + index, start, end);
      long size = cursor.varint();
      long rowid = cursor.varint();
      if (size < 0 || size > maxPayload) {
        throw fail(page, "cell " + index + " (row " + rowid + ") has a payload of " + Long.toUnsignedString(size)
            + " bytes, over the limit of " + maxPayload);
      }
      payloadBytes += size;
      if (payloadBytes > file.length) {
        throw fail(page, "cells hold more payload than the file has bytes (overlapping cells)");
      }
      byte[] payload = new byte[(int) size];
      int local = localPayload(size);
      if (cursor.position + local > end || (local < size && cursor.position + local + 4 > end)) {
        throw fail(page, "cell " + index + " (row " + rowid + ") runs past the page");
      }
      System.arraycopy(file, cursor.position, payload, 0, local);
      if (local < size) {
        long next = u32(file, cursor.position + local);
        int filled = local;
        String from = "page " + page + " cell " + index;
        while (filled < size) {
          int overflow = checkedPage(next, page, "the overflow chain of cell " + index);
          if (overflow == 0) {
            throw fail(page, "the overflow chain of cell " + index + " ends after " + filled + " of " + size + " bytes");
          }
          use(overflow, from);
          int base = offsetOf(overflow);
          int n = (int) Math.min(usable - 4, size - filled);
          System.arraycopy(file, base + 4, payload, filled, n);
          filled += n;
          next = u32(file, base);
          from = "overflow page " + overflow;
        }
      }
      handler.row(rowid, record(page, rowid, payload));
    }

    /** A page this walk has not used before (an overflow page, a child), or the walk is corrupt. */
    private void use(int page, String from) throws IOException {
      if (used.get(page)) {
        throw fail(page, "reached a second time, from " + from + " (a cycle or a shared page)");
      }
      used.set(page);
    }
  }

  /** How much of a table-leaf payload of {@code size} bytes is on the page itself (file format 1.6). */
  private int localPayload(long size) {
    int maxLocal = usable - 35;
    if (size <= maxLocal) {
      return (int) size;
    }
    int minLocal = (usable - 12) * 32 / 255 - 23;
    long k = minLocal + (size - minLocal) % (usable - 4);
    return k <= maxLocal ? (int) k : minLocal;
  }

  /** The values of a record (serial types in its header, then their bytes). */
  private List<Value> record(int page, long rowid, byte[] payload) throws IOException {
    String where = "row " + rowid;
    Cursor header = new Cursor(payload, page, where, 0, payload.length);
    long headerSize = header.varint();
    if (headerSize < header.position || headerSize > payload.length) {
      throw fail(page, where + ": record header size " + headerSize + " does not fit its " + payload.length
          + " bytes");
    }
    header = new Cursor(payload, page, where, header.position, (int) headerSize);
    List<Value> values = new ArrayList<>();
    int data = (int) headerSize;
    while (header.position < headerSize) {
      if (values.size() >= MAX_COLUMNS) {
        throw fail(page, where + ": more than " + MAX_COLUMNS + " columns");
      }
      long serial = header.varint();
      long length = serialLength(serial);
      if (length < 0) {
        throw fail(page, where + ": column " + values.size() + " has the reserved serial type " + serial);
      }
      if (data + length > payload.length) {
        throw fail(page, where + ": column " + values.size() + " runs past the record's " + payload.length + " bytes");
      }
      values.add(value(serial, payload, data, (int) length));
      data += (int) length;
    }
    return Collections.unmodifiableList(values);
  }

  /** Bytes a value of serial type {@code serial} takes; -1 for the reserved types 10 and 11 (or a negative one). */
  private static long serialLength(long serial) {
    if (serial < 0 || serial == 10 || serial == 11) {
      return -1;
    }
    return switch ((int) Math.min(serial, 12)) {
      case 0, 8, 9 -> 0;
      case 1 -> 1;
      case 2 -> 2;
      case 3 -> 3;
      case 4 -> 4;
      case 5 -> 6;
      case 6, 7 -> 8;
      default -> (serial - 12) / 2;
    };
  }

  private static Value value(long serial, byte[] bytes, int offset, int length) {
    if (serial == 0) {
      return new Null();
    }
    if (serial == 8 || serial == 9) {
      return new Int(serial - 8);
    }
    if (serial <= 6) {
      long v = bytes[offset]; // sign-extended: integers are two's complement, big-endian
      for (int i = 1; i < length; i++) {
        v = (v << 8) | (bytes[offset + i] & 0xff);
      }
      return new Int(v);
    }
    if (serial == 7) {
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | (bytes[offset + i] & 0xff);
      }
      return new Real(Double.longBitsToDouble(bits));
    }
    byte[] content = Arrays.copyOfRange(bytes, offset, offset + length);
    return serial % 2 == 0 ? new Blob(content) : new Text(content);
  }

  private int offsetOf(int page) {
    return (page - 1) * pageSize; // checked to be in the file, which is smaller than 2 GiB
  }

  /** {@code page} as a page number of this file (0 is allowed: it ends a chain). */
  private int checkedPage(long page, int onPage, String what) throws IOException {
    if (page > pageCount) {
      throw fail(onPage, what + " points to page " + page + ", beyond the file's " + pageCount + " pages");
    }
    return (int) page;
  }

  private IOException fail(int page, String what) {
    return new IOException(name + ": page " + page + ": " + what);
  }

  /** Reads varints inside [position, end) of a byte array, failing instead of running past the end. */
  private final class Cursor {
    private final byte[] bytes;
    private final int page;
    private final String where;
    private final int end;
    int position;

    Cursor(int page, String where, int start, int end) {
      this(file, page, where, start, end);
    }

    Cursor(byte[] bytes, int page, String where, int start, int end) {
      this.bytes = bytes;
      this.page = page;
      this.where = where;
      this.position = start;
      this.end = end;
    }

    /** A big-endian varint of 1 to 9 bytes; the ninth byte gives all its 8 bits. */
    long varint() throws IOException {
      long v = 0;
      for (int i = 0; i < 9; i++) {
        if (position >= end) {
          throw fail(page, where + ": a varint runs past the end");
        }
        int b = bytes[position++] & 0xff;
        if (i == 8) {
          return (v << 8) | b;
        }
        v = (v << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new AssertionError("unreachable");
    }
  }

  private static int u16(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
  }

  private static long u32(byte[] b, int offset) {
    return ((long) (b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
        | (b[offset + 3] & 0xff);
  }
}
