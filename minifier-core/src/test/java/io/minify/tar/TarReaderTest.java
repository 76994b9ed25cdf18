package io.minify.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

public class TarReaderTest {

  /** The fixtures hold one 300000-byte file, written by GNU tar in each of its sparse formats. */
  public static byte[] sparseFixture(String name) throws IOException {
    try (InputStream in = new GZIPInputStream(TarReaderTest.class.getResourceAsStream(name + ".tar.gz"))) {
      return in.readAllBytes();
    }
  }

  /** What the fixtures' file holds: zeros, "middle-data" at 70000, "tail" at 200000. */
  public static byte[] sparseContent() {
    byte[] expected = new byte[300_000];
    System.arraycopy("middle-data".getBytes(StandardCharsets.US_ASCII), 0, expected, 70_000, 11);
    System.arraycopy("tail".getBytes(StandardCharsets.US_ASCII), 0, expected, 200_000, 4);
    return expected;
  }

  @Test
  void everyGnuSparseFormatGivesTheMapAndRealSize() throws Exception {
    for (String format : new String[] {"gnu", "pax-0.0", "pax-0.1", "pax-1.0"}) {
      byte[] archive = sparseFixture(format);
      TarReader reader = new TarReader(new ByteArrayInputStream(archive));
      TarHeader h = reader.next();
      assertNotNull(h, format);
      assertArrayEquals("sparse.bin".getBytes(StandardCharsets.US_ASCII), h.name(), format);
      assertTrue(h.isRegularFile(), format);
      assertEquals(300_000, h.size(), format);
      assertNotNull(h.sparse(), format);
      assertTrue(h.storedBytes() < 300_000, format + " stores only the data");
      assertEquals(h.storedBytes(), h.sparse().storedBytes(), format);
      // the stored segments, read where the reader says they start, are the file's data
      byte[] expected = sparseContent();
      long at = h.dataOffset();
      for (SparseMap.Segment s : h.sparse().segments()) {
        assertArrayEquals(Arrays.copyOfRange(expected, (int) s.offset(), (int) (s.offset() + s.length())),
            Arrays.copyOfRange(archive, (int) at, (int) (at + s.length())), format + " " + s);
        at += s.length();
      }
      assertNull(reader.next(), format);
    }
  }

  @Test
  void gnuLongNamesAndBase256Numbers() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
      TarArchiveEntry link = new TarArchiveEntry("l".repeat(150), TarConstants.LF_SYMLINK);
      link.setLinkName("t".repeat(130));
      link.setUserId(10_000_000L); // more than 7 octal digits: base-256
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    TarReader reader = new TarReader(new ByteArrayInputStream(bytes.toByteArray()));
    TarHeader h = reader.next();
    assertEquals("l".repeat(150), new String(h.name(), StandardCharsets.US_ASCII));
    assertEquals("t".repeat(130), new String(h.linkName(), StandardCharsets.US_ASCII));
    assertEquals(10_000_000L, h.uid());
    assertEquals(TarHeader.SYMLINK, h.typeFlag());
    assertNull(reader.next());
  }

  @Test
  void dataOffsetsAreWhereTheContentIs() throws Exception {
    byte[] archive = TarWriterTest.sample();
    TarReader reader = new TarReader(new ByteArrayInputStream(archive));
    TarHeader h;
    while ((h = reader.next()) != null) {
      if (h.storedBytes() > 0) {
        byte[] viaStream = reader.content().readAllBytes();
        assertArrayEquals(viaStream, Arrays.copyOfRange(archive, (int) h.dataOffset(),
            (int) (h.dataOffset() + h.storedBytes())), h.displayName());
      }
    }
    assertEquals(archive.length, reader.position(), "read to the end marker");
  }

  @Test
  void bytesThatAreNotATarAreRefused() {
    byte[] json = "{\"architecture\":\"amd64\"}".repeat(40).getBytes(StandardCharsets.US_ASCII);
    TarFormatException e = assertThrows(TarFormatException.class,
        () -> new TarReader(new ByteArrayInputStream(json)).next());
    assertTrue(e.getMessage().startsWith("not a tar header at byte 0"), e.getMessage());
  }

  @Test
  void aTruncatedArchiveIsAnErrorNotAnEnd() throws Exception {
    byte[] archive = TarWriterTest.sample();
    byte[] cut = Arrays.copyOf(archive, 700); // inside the first member's PAX records
    TarFormatException e = assertThrows(TarFormatException.class, () -> {
      TarReader reader = new TarReader(new ByteArrayInputStream(cut));
      while (reader.next() != null) {
        reader.content().readAllBytes();
      }
    });
    assertTrue(e.getMessage().contains("ends inside"), e.getMessage());
  }

  @Test
  void malformedPaxRecordsNameTheProblem() throws Exception {
    byte[] archive = TarWriterTest.sample();
    // the first member's PAX records start at 512: "NN system.posix..." -> break the length
    archive[512] = 'x';
    TarFormatException e = assertThrows(TarFormatException.class,
        () -> new TarReader(new ByteArrayInputStream(archive)).next());
    assertTrue(e.getMessage().startsWith("malformed PAX record"), e.getMessage());
  }
}
