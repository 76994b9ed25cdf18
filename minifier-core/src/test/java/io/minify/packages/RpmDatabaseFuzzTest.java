package io.minify.packages;

import io.minify.fuzz.Fuzzer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rpm's database is image bytes: {@link RpmDatabaseReader#headers} lists the packages or
 * throws an {@link IOException}, in bounded time and memory, whatever the file holds.
 */
class RpmDatabaseFuzzTest {

  @Test
  void rpmSqliteDatabases() {
    byte[] small = RpmFixture.bytes(RpmFixture.SMALL);
    Fuzzer.ofBytes("RpmDatabaseReader")
        .seeds(small, RpmFixture.bytes(RpmFixture.MANY), Arrays.copyOf(small, 2 * RpmFixture.PAGE_SIZE))
        .allowing(IOException.class)
        .run(db -> RpmDatabaseReader.headers("rpmdb.sqlite", db));
  }

  @Test
  void rpmHeaderBlobs() throws IOException {
    // the fixture's blobs, so mutations reach the header parser without the file format around them
    byte[] small = RpmFixture.bytes(RpmFixture.SMALL);
    SqliteTableReader db = SqliteTableReader.open("rpmdb.sqlite", small, 1 << 20);
    List<byte[]> blobs = new ArrayList<>();
    db.scanTable(db.rootPageOf("Packages").orElseThrow(),
        (rowid, values) -> blobs.add(((SqliteTableReader.Blob) values.get(1)).bytes()));
    Fuzzer.ofBytes("RpmHeader")
        .seeds(blobs)
        .allowing(IOException.class)
        .run(blob -> RpmHeader.parse(blob, "row 1", 4L * blob.length));
  }
}
