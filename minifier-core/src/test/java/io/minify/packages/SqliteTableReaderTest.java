package io.minify.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SQLite file format as far as rpm's database needs it, and what a broken file gives. */
class SqliteTableReaderTest {
  private static final long MAX_PAYLOAD = 64L << 20;

  private static List<Long> rowids(byte[] db) throws IOException {
    SqliteTableReader reader = SqliteTableReader.open("db", db, MAX_PAYLOAD);
    List<Long> rowids = new ArrayList<>();
    reader.scanTable(reader.rootPageOf("Packages").orElseThrow(), (rowid, values) -> rowids.add(rowid));
    return rowids;
  }

  @Test
  void theSchemaNamesTheTablesRootPages() throws IOException {
    SqliteTableReader reader = SqliteTableReader.open("db", RpmFixture.bytes(RpmFixture.SMALL), MAX_PAYLOAD);
    assertEquals(9, reader.pageCount());
    assertEquals(Optional.of(2), reader.rootPageOf("Packages"));
    assertEquals(Optional.of(2), reader.rootPageOf("packages"), "SQL names ignore case");
    assertEquals(Optional.of(4), reader.rootPageOf("Name"));
    assertEquals(Optional.empty(), reader.rootPageOf("Name_key_idx"), "an index is no table");
    assertEquals(Optional.empty(), reader.rootPageOf("Basenames"));
  }

  @Test
  void rowsComeInRowidOrderWithTheirOverflowedPayloads() throws IOException {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    SqliteTableReader reader = SqliteTableReader.open("db", db, MAX_PAYLOAD);
    List<Long> rowids = new ArrayList<>();
    List<Integer> blobSizes = new ArrayList<>();
    reader.scanTable(2, (rowid, values) -> {
      rowids.add(rowid);
      assertEquals(2, values.size());
      assertInstanceOf(SqliteTableReader.Null.class, values.get(0), "an INTEGER PRIMARY KEY is the rowid");
      blobSizes.add(((SqliteTableReader.Blob) values.get(1)).bytes().length);
    });
    assertEquals(List.of(1L, 2L, 3L, 4L), rowids);
    assertTrue(blobSizes.get(1) > 3 * RpmFixture.PAGE_SIZE, "glibc-common's header needs overflow pages");
    assertEquals(List.of(6, 7, 8, 9), RpmFixture.overflowPages(db), "the fixture's overflow chain");

    // the Name table: text and integer columns
    List<String> names = new ArrayList<>();
    reader.scanTable(reader.rootPageOf("Name").orElseThrow(), (rowid, values) -> {
      names.add(((SqliteTableReader.Text) values.get(0)).utf8() + "=" + ((SqliteTableReader.Int) values.get(1)).value());
    });
    assertEquals(List.of("bash=1", "glibc-common=2", "openssl-libs=3", "gpg-pubkey=4"), names);
  }

  @Test
  void aTableWithInteriorPagesIsReadInOrder() throws IOException {
    byte[] db = RpmFixture.bytes(RpmFixture.MANY);
    assertEquals(0x05, db[RpmFixture.offset(2)], "the fixture's Packages root is an interior page");
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 300; i++) {
      expected.add(i);
    }
    assertEquals(expected, rowids(db));
  }

  @Test
  void aTruncatedFileIsNamedSo() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    assertEquals("db: truncated: 36764 bytes is not a whole number of 4096-byte pages",
        failure(Arrays.copyOf(db, db.length - 100)));
    assertEquals("db: truncated: the header says 9 pages, the file holds 8",
        failure(Arrays.copyOf(db, db.length - RpmFixture.PAGE_SIZE)));
    assertEquals("db: not an SQLite 3 database (no \"SQLite format 3\" header)", failure(Arrays.copyOf(db, 99)));
    assertEquals("db: not an SQLite 3 database (no \"SQLite format 3\" header)",
        failure("Package: bash\n".repeat(20).getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aTruncatedFileWithoutAValidPageCountFailsAtTheMissingPage() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    byte[] cut = Arrays.copyOf(db, 7 * RpmFixture.PAGE_SIZE);
    cut[95] ^= 1; // the change counter no longer matches: the header's page count is not trusted
    assertEquals("db: page 2: the overflow chain of cell 1 points to page 8, beyond the file's 7 pages",
        failure(cut));
  }

  @Test
  void aPageThatIsNoTableBtreePageIsNamed() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    db[RpmFixture.offset(2)] = 0x0a;
    assertEquals("db: page 2: not a table b-tree page (page type 0x0a)", failure(db));
    db[RpmFixture.offset(2)] = 0x07;
    assertEquals("db: page 2: not a table b-tree page (page type 0x07)", failure(db));
  }

  @Test
  void anOverflowCycleIsAnErrorNotALoop() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    RpmFixture.putU32(db, RpmFixture.offset(7), 6); // 6 -> 7 -> 6
    assertEquals("db: page 6: reached a second time, from overflow page 7 (a cycle or a shared page)", failure(db));
    RpmFixture.putU32(db, RpmFixture.offset(7), 7); // 7 -> 7
    assertEquals("db: page 7: reached a second time, from overflow page 7 (a cycle or a shared page)", failure(db));
  }

  @Test
  void anOverflowChainThatEndsEarlyOrLeavesTheFileIsNamed() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    RpmFixture.putU32(db, RpmFixture.offset(7), 0);
    assertTrue(failure(db).startsWith("db: page 2: the overflow chain of cell 1 ends after "), failure(db));
    RpmFixture.putU32(db, RpmFixture.offset(7), 0x7fffffff);
    assertEquals("db: page 2: the overflow chain of cell 1 points to page 2147483647, beyond the file's 9 pages",
        failure(db));
    RpmFixture.putU32(db, RpmFixture.offset(7), 2); // into the b-tree page that started the chain
    assertEquals("db: page 2: reached a second time, from overflow page 7 (a cycle or a shared page)", failure(db));
  }

  @Test
  void aCycleInTheTreeIsAnError() {
    byte[] db = RpmFixture.bytes(RpmFixture.MANY);
    int root = RpmFixture.offset(2);
    int firstCell = ((db[root + 12] & 0xff) << 8) | (db[root + 13] & 0xff);
    RpmFixture.putU32(db, root + firstCell, 2); // the root's first child is the root
    assertEquals("db: page 2: reached a second time, from page 2 cell 0 (a cycle or a shared page)", failure(db));
  }

  @Test
  void cellsThatDoNotFitThePageAreNamed() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    db[RpmFixture.offset(2) + 3] = (byte) 0xff;
    db[RpmFixture.offset(2) + 4] = (byte) 0xff;
    assertEquals("db: page 2: 65535 cell pointers do not fit the page", failure(db));
    db = RpmFixture.bytes(RpmFixture.SMALL);
    db[RpmFixture.offset(2) + 8] = (byte) 0xff; // the first cell pointer
    assertTrue(failure(db).startsWith("db: page 2: cell 0 starts at offset 65"), failure(db));
  }

  @Test
  void unsupportedHeadersAreNamed() {
    byte[] db = RpmFixture.bytes(RpmFixture.SMALL);
    db[16] = 0x03;
    db[17] = (byte) 0xe8;
    assertEquals("db: page size 1000 is not a power of two from 512 to 65536", failure(db));
    db = RpmFixture.bytes(RpmFixture.SMALL);
    db[59] = 2;
    assertEquals("db: text encoding 2 (UTF-16) is not supported, only UTF-8", failure(db));
    db = RpmFixture.bytes(RpmFixture.SMALL);
    db[19] = 3;
    assertEquals("db: file format read version 3 is newer than this reader knows", failure(db));
  }

  @Test
  void aRootPageOutsideTheFileIsNamed() throws IOException {
    SqliteTableReader reader = SqliteTableReader.open("db", RpmFixture.bytes(RpmFixture.SMALL), MAX_PAYLOAD);
    IOException e = assertThrows(IOException.class, () -> reader.scanTable(10, (rowid, values) -> { }));
    assertEquals("db: the table's root points to page 10, not one of the file's 9 pages", e.getMessage());
  }

  @Test
  void aPayloadOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
    SqliteTableReader reader = SqliteTableReader.open("db", RpmFixture.bytes(RpmFixture.SMALL), 1000);
    IOException e = assertThrows(IOException.class, () -> reader.scanTable(2, (rowid, values) -> { }));
    assertTrue(e.getMessage().startsWith("db: page 2: cell 1 (row 2) has a payload of 16"), e.getMessage());
  }

  /** The one-line message reading the Packages table of {@code db} fails with. */
  private static String failure(byte[] db) {
    IOException e = assertThrows(IOException.class, () -> rowids(db));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }
}
