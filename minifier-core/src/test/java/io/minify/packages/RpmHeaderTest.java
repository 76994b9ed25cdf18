package io.minify.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.path.UnixPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** rpm's header blobs, built by hand: what is read from them, and what a broken one gives. */
class RpmHeaderTest {
  private static final long BUDGET = 1 << 20;

  /** A header blob: entries with their data appended to the store (ints aligned, as rpm does). */
  private static final class Blob {
    private final List<int[]> entries = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Blob add(int tag, int type, int count, byte[] value) {
      if (type == RpmHeader.TYPE_INT32) {
        while (data.size() % 4 != 0) {
          data.write(0);
        }
      }
      entries.add(new int[] {tag, type, data.size(), count});
      data.writeBytes(value);
      return this;
    }

    /** An entry with the offset and count given, and no data of its own. */
    Blob raw(int tag, int type, int offset, int count) {
      entries.add(new int[] {tag, type, offset, count});
      return this;
    }

    Blob string(int tag, String value) {
      return add(tag, RpmHeader.TYPE_STRING, 1, nul(value.getBytes(StandardCharsets.UTF_8)));
    }

    Blob strings(int tag, byte[]... values) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] v : values) {
        out.writeBytes(nul(v));
      }
      return add(tag, RpmHeader.TYPE_STRING_ARRAY, values.length, out.toByteArray());
    }

    Blob ints(int tag, int... values) {
      ByteBuffer b = ByteBuffer.allocate(4 * values.length);
      for (int v : values) {
        b.putInt(v);
      }
      return add(tag, RpmHeader.TYPE_INT32, values.length, b.array());
    }

    byte[] build() {
      ByteBuffer b = ByteBuffer.allocate(8 + 16 * entries.size() + data.size());
      b.putInt(entries.size()).putInt(data.size());
      for (int[] e : entries) {
        b.putInt(e[0]).putInt(e[1]).putInt(e[2]).putInt(e[3]);
      }
      return b.put(data.toByteArray()).array();
    }

    private static byte[] nul(byte[] s) {
      byte[] out = new byte[s.length + 1];
      System.arraycopy(s, 0, out, 0, s.length);
      return out;
    }
  }

  private static Blob curl() {
    return new Blob().string(RpmHeader.NAME, "curl").string(RpmHeader.VERSION, "8.6.0")
        .string(RpmHeader.RELEASE, "10.fc40").string(RpmHeader.ARCH, "x86_64").ints(RpmHeader.SIZE, 0xfffffff0)
        .ints(RpmHeader.EPOCH, 2);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fieldsAndFilesAreRead() throws IOException {
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
    byte[] blob = curl()
        .ints(RpmHeader.DIRINDEXES, 0, 1, 1)
        .strings(RpmHeader.BASENAMES, bytes("curl"), bytes("README"), latin1)
        .strings(RpmHeader.DIRNAMES, bytes("/usr/bin/"), bytes("/usr/share/doc/curl/"))
        .build();
    RpmHeader header = RpmHeader.parse(blob, "row 1", BUDGET);
    assertEquals(new InstalledPackage("curl", "x86_64", "2:8.6.0-10.fc40", 0xfffffff0L), header.pkg(),
        "epoch:version-release; SIZE is unsigned");
    assertEquals(List.of(UnixPath.of("/usr/bin/curl"), UnixPath.of("/usr/share/doc/curl/README"),
        UnixPath.of("/usr/share/doc/curl").child(latin1)), header.files());
    assertArrayEquals(latin1, header.files().get(2).name(), "paths stay bytes");
  }

  @Test
  void aPackageWithoutFilesOrArchitecture() throws IOException {
    byte[] blob = new Blob().string(RpmHeader.NAME, "gpg-pubkey").string(RpmHeader.VERSION, "a15b79cc")
        .string(RpmHeader.RELEASE, "63d04c2c").build();
    RpmHeader header = RpmHeader.parse(blob, "row 9", BUDGET);
    assertEquals(new InstalledPackage("gpg-pubkey", "", "a15b79cc-63d04c2c", 0), header.pkg());
    assertEquals(List.of(), header.files());
  }

  @Test
  void longSizeWinsOverSize() throws IOException {
    ByteBuffer size = ByteBuffer.allocate(8).putLong(5L << 30);
    byte[] blob = curl().add(RpmHeader.LONGSIZE, RpmHeader.TYPE_INT64, 1, size.array()).build();
    assertEquals(5L << 30, RpmHeader.parse(blob, "row 1", BUDGET).pkg().installedBytes());
  }

  @Test
  void brokenBlobsAreNamed() {
    assertEquals("row 3: a header blob of 4 bytes is shorter than its 8-byte preamble", failure(new byte[4]));
    assertEquals("row 3: the header claims 2147483647 index entries",
        failure(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array()));
    assertEquals("row 3: the header claims -1 data bytes", failure(ByteBuffer.allocate(8).putInt(1).putInt(-1).array()));
    assertEquals("row 3: 2 index entries and 100 data bytes need 140 bytes, the blob has 40",
        failure(ByteBuffer.allocate(40).putInt(2).putInt(100).array()));
    assertEquals("row 3: the header has no NAME", failure(new Blob().string(RpmHeader.VERSION, "1").build()));
    assertEquals("row 3: tag 1000 has offset 999 and count 1 in a data store of 2 bytes",
        failure(new Blob().string(RpmHeader.VERSION, "1").raw(RpmHeader.NAME, RpmHeader.TYPE_STRING, 999, 1).build()));
    assertEquals("row 3: tag 1000 has type 4, not a string", failure(new Blob().ints(RpmHeader.NAME, 1).build()));
    byte[] unterminated = new Blob().string(RpmHeader.NAME, "curl").build();
    unterminated[unterminated.length - 1] = 'x';
    assertEquals("row 3: string 0 of tag 1000 runs past the data store", failure(unterminated));
  }

  @Test
  void brokenFileListsAreNamed() {
    assertEquals("row 3: DIRINDEXES[1] is 7, but there are 1 DIRNAMES", failure(curl().ints(RpmHeader.DIRINDEXES, 0, 7)
        .strings(RpmHeader.BASENAMES, bytes("a"), bytes("b")).strings(RpmHeader.DIRNAMES, bytes("/x/")).build()));
    assertEquals("row 3: DIRINDEXES[0] is 4294967295, but there are 1 DIRNAMES",
        failure(curl().ints(RpmHeader.DIRINDEXES, -1).strings(RpmHeader.BASENAMES, bytes("a"))
            .strings(RpmHeader.DIRNAMES, bytes("/x/")).build()));
    assertEquals("row 3: 2 BASENAMES but 1 DIRINDEXES", failure(curl().ints(RpmHeader.DIRINDEXES, 0)
        .strings(RpmHeader.BASENAMES, bytes("a"), bytes("b")).strings(RpmHeader.DIRNAMES, bytes("/x/")).build()));
    assertEquals("row 3: the header has BASENAMES but no DIRNAMES", failure(curl().ints(RpmHeader.DIRINDEXES, 0)
        .strings(RpmHeader.BASENAMES, bytes("a")).build()));
    assertEquals("row 3: file 0 (x/a) is not an absolute path", failure(curl().ints(RpmHeader.DIRINDEXES, 0)
        .strings(RpmHeader.BASENAMES, bytes("a")).strings(RpmHeader.DIRNAMES, bytes("x/")).build()));
    // a million strings claimed in a few bytes: refused before a list is made for them
    assertEquals("row 3: tag 1117 claims 1000000 strings in 2 bytes", failure(curl()
        .ints(RpmHeader.DIRINDEXES, 0).strings(RpmHeader.DIRNAMES, bytes("/x/"))
        .add(RpmHeader.BASENAMES, RpmHeader.TYPE_STRING_ARRAY, 1_000_000, new byte[] {'a', 0}).build()));
    assertEquals("row 3: tag 1116 claims 1000000 integers in 4 bytes", failure(curl()
        .strings(RpmHeader.BASENAMES, bytes("a")).strings(RpmHeader.DIRNAMES, bytes("/x/"))
        .add(RpmHeader.DIRINDEXES, RpmHeader.TYPE_INT32, 1_000_000, new byte[4]).build()));
  }

  @Test
  void pathsOverTheBudgetAreRefusedBeforeTheyAreMade() throws IOException {
    // one long directory named by every file: small blob, large paths
    int files = 1000;
    byte[][] basenames = new byte[files][];
    int[] dirindexes = new int[files];
    for (int i = 0; i < files; i++) {
      basenames[i] = bytes("f" + i);
    }
    byte[] blob = curl().ints(RpmHeader.DIRINDEXES, dirindexes).strings(RpmHeader.BASENAMES, basenames)
        .strings(RpmHeader.DIRNAMES, bytes("/" + "d".repeat(1000) + "/")).build();
    assertEquals(files, RpmHeader.parse(blob, "row 3", 2_000_000).files().size());
    IOException e = assertThrows(IOException.class, () -> RpmHeader.parse(blob, "row 3", 100_000));
    assertEquals("row 3: its file paths take 1005890 bytes, more than the 100000 left of what the database's size"
        + " allows", e.getMessage());
  }

  private static String failure(byte[] blob) {
    IOException e = assertThrows(IOException.class, () -> RpmHeader.parse(blob, "row 3", BUDGET));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }
}
