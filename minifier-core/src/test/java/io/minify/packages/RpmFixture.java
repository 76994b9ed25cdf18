package io.minify.packages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rpm sqlite databases of {@code src/test/resources/packages/rpmdb}, written by the
 * {@code make-fixture.py} next to them, and what the tests need to know of their layout.
 */
final class RpmFixture {
  static final int PAGE_SIZE = 4096;
  /** Four packages; glibc-common's header spills over a chain of overflow pages. */
  static final String SMALL = "rpmdb.sqlite";
  /** 300 packages: the Packages table has an interior page. */
  static final String MANY = "rpmdb-many.sqlite";

  private RpmFixture() {}

  static byte[] bytes(String name) {
    try (InputStream in = RpmFixture.class.getResourceAsStream("/packages/rpmdb/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name + ": run make-fixture.py");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The offset of page {@code page} (1-based) in the file. */
  static int offset(int page) {
    return (page - 1) * PAGE_SIZE;
  }

  /**
   * The overflow pages of a fixture, in file order: every page that is no b-tree page (the
   * fixtures have no free pages), each starting with the number of the next one.
   */
  static List<Integer> overflowPages(byte[] db) {
    List<Integer> pages = new ArrayList<>();
    for (int page = 2; page <= db.length / PAGE_SIZE; page++) {
      int type = db[offset(page)];
      if (type != 0x02 && type != 0x05 && type != 0x0a && type != 0x0d) {
        pages.add(page);
      }
    }
    return pages;
  }

  static int u32(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
        | (b[offset + 3] & 0xff);
  }

  static void putU32(byte[] b, int offset, int value) {
    b[offset] = (byte) (value >>> 24);
    b[offset + 1] = (byte) (value >>> 16);
    b[offset + 2] = (byte) (value >>> 8);
    b[offset + 3] = (byte) value;
  }
}
