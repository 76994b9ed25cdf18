package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** A docker save stream passes only when it ends the way a tar archive ends. */
class SaveStreamCheckTest {

  @Test
  void aCompleteArchiveReadsThroughUnchanged() throws IOException {
    byte[] tar = tar("manifest.json", "[]");
    byte[] read = new SaveStreamCheck(new ByteArrayInputStream(tar), "app:1").readAllBytes();
    assertArrayEquals(tar, read);
  }

  @Test
  void aTarReaderOnTopSeesEveryEntryOfACompleteArchive() throws IOException {
    byte[] tar = tar("a.json", "{}");
    try (TarArchiveInputStream in = new TarArchiveInputStream(new SaveStreamCheck(new ByteArrayInputStream(tar), "x"))) {
      TarArchiveEntry e = in.getNextEntry();
      assertEquals("a.json", e.getName());
      assertEquals(null, in.getNextEntry());
    }
  }

  @Test
  void anArchiveCutOffOnABlockBoundaryFailsAtItsEnd() throws IOException {
    byte[] tar = tar("layer.tar", "x".repeat(5000));
    // header + the first data blocks: whole blocks, but no end-of-archive marker
    byte[] cut = Arrays.copyOf(tar, 512 * 4);
    IOException e = assertThrows(IOException.class,
        () -> new SaveStreamCheck(new ByteArrayInputStream(cut), "app:1").readAllBytes());
    assertEquals("docker save app:1: the engine's stream ended after 2048 bytes, inside the archive (no tar"
        + " end-of-archive marker): the engine failed while saving", e.getMessage());
  }

  @Test
  void aTarReaderOnACutArchiveFailsInsteadOfSeeingAShortImage() throws IOException {
    byte[] tar = tar("manifest.json", "[]");
    // the entry is complete, the end marker is gone: a plain tar reader would call this the end
    byte[] cut = Arrays.copyOf(tar, 1024);
    try (TarArchiveInputStream in = new TarArchiveInputStream(new SaveStreamCheck(new ByteArrayInputStream(cut), "x"))) {
      assertEquals("manifest.json", in.getNextEntry().getName());
      IOException e = assertThrows(IOException.class, in::getNextEntry);
      assertTrue(e.getMessage().contains("no tar end-of-archive marker"), e.getMessage());
    }
  }

  @Test
  void anArchiveCutInsideABlockFails() {
    byte[] tar = new byte[512 * 3 + 100];
    assertThrows(IOException.class, () -> new SaveStreamCheck(new ByteArrayInputStream(tar), "x").readAllBytes());
  }

  @Test
  void everyReadAtAFailedEndFails() throws IOException {
    SaveStreamCheck in = new SaveStreamCheck(new ByteArrayInputStream(new byte[100]), "x");
    assertThrows(IOException.class, in::readAllBytes);
    assertThrows(IOException.class, in::read);
  }

  @Test
  void theEndMarkerIsTheLast1024BytesAllZeroHoweverTheReadsFall() throws IOException {
    for (int nonZeroAt : new int[] {0, 511, 512, 1023, 1535}) {
      byte[] stream = new byte[1536];
      stream[nonZeroAt] = 7;
      SaveStreamCheck check = new SaveStreamCheck(new ByteArrayInputStream(stream), "app:1");
      byte[] chunk = new byte[100];
      boolean ended = false;
      try {
        while (check.read(chunk, 0, chunk.length) >= 0) {
          // reads of 100 bytes: the marker's first byte falls inside one
        }
        ended = true;
      } catch (IOException e) {
        assertTrue(e.getMessage().contains("no tar end-of-archive marker"), e.getMessage());
      }
      assertEquals(nonZeroAt < 512, ended, "a non-zero byte at " + nonZeroAt);
    }
  }

  @Test
  void skippedBytesCountTowardsTheEnd() throws IOException {
    byte[] tar = tar("f", "y".repeat(3000));
    SaveStreamCheck in = new SaveStreamCheck(new ByteArrayInputStream(tar), "x");
    assertEquals(tar.length - 10, in.skip(tar.length - 10));
    assertEquals(10, in.readAllBytes().length);
  }

  @Test
  void theEndIsSeenWhateverTheSizesOfTheReads() throws IOException {
    byte[] tar = tar("layer.tar", "z".repeat(7000));
    for (int size : new int[] {1, 7, 511, 512, 1023, 1024, 1025, 3000, tar.length}) {
      assertArrayEquals(tar, readInReadsOf(size, tar), "reads of " + size);
    }
  }

  @Test
  void zerosThatAreNotTheLastBytesAreNoEndWhateverTheSizesOfTheReads() throws IOException {
    // two zero blocks, then one block of data: whole blocks, and zeros just before the end
    byte[] stream = new byte[512 * 5];
    Arrays.fill(stream, 0, 512 * 2, (byte) 'h');
    Arrays.fill(stream, 512 * 4, stream.length, (byte) 'd');
    for (int size : new int[] {1, 7, 511, 512, 1023, 1024, 1025, 3000}) {
      IOException e = assertThrows(IOException.class, () -> readInReadsOf(size, stream), "reads of " + size);
      assertTrue(e.getMessage().contains("no tar end-of-archive marker"), e.getMessage());
    }
  }

  private static byte[] readInReadsOf(int size, byte[] stream) throws IOException {
    SaveStreamCheck in = new SaveStreamCheck(new ByteArrayInputStream(stream), "x");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[size + 3];
    for (int n; (n = in.read(buffer, 3, size)) >= 0; ) {
      out.write(buffer, 3, n);
    }
    return out.toByteArray();
  }

  @Test
  void aBrokenTransportNamesTheImageAndTheOffset() {
    InputStream broken = new InputStream() {
      private int sent;

      @Override
      public int read() throws IOException {
        if (sent++ < 700) {
          return 0;
        }
        throw new IOException("Premature end of chunk coded message body");
      }
    };
    IOException e = assertThrows(IOException.class, () -> new SaveStreamCheck(broken, "app:1").readAllBytes());
    assertTrue(e.getMessage().startsWith("docker save app:1: the engine's stream broke off after "), e.getMessage());
    assertTrue(e.getMessage().endsWith(": Premature end of chunk coded message body"), e.getMessage());
  }

  private static byte[] tar(String name, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // records of one block: the end is the two zero blocks alone, as docker's Go writer makes it
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 512)) {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(data.length);
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }
}
