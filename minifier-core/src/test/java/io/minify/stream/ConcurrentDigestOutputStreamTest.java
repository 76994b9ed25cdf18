package io.minify.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The bytes and the digest are those of writing and hashing on one thread, whatever the writes' sizes. */
class ConcurrentDigestOutputStreamTest {
  private static final int BUFFER = ConcurrentDigestOutputStream.BUFFER_BYTES;

  @Test
  void bytesAndDigestAreThoseOfOneThreadWhateverTheWrites() throws IOException {
    byte[] content = new byte[BUFFER * 9 + 12345];
    new Random(19).nextBytes(content);
    int first = ConcurrentDigestOutputStream.FIRST_BUFFER_BYTES;
    for (int size : new int[] {1, 511, 512, first - 1, first, first + 1, 100_000, BUFFER, BUFFER + 1, content.length}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MessageDigest digest = sha256();
      try (ConcurrentDigestOutputStream stream = new ConcurrentDigestOutputStream(out, digest)) {
        for (int off = 0; off < content.length; off += size) {
          stream.write(content, off, Math.min(size, content.length - off));
        }
      }
      assertArrayEquals(content, out.toByteArray(), "writes of " + size);
      assertArrayEquals(sha256().digest(content), digest.digest(), "writes of " + size);
    }
  }

  @Test
  void singleBytesAndFlushesInBetweenChangeNothing() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageDigest digest = sha256();
    try (ConcurrentDigestOutputStream stream = new ConcurrentDigestOutputStream(out, digest)) {
      stream.write('a');
      stream.flush();
      assertArrayEquals(new byte[] {'a'}, out.toByteArray(), "a flush writes what is buffered");
      stream.write(new byte[] {'b', 'c'}, 0, 2);
      stream.flush();
      stream.write('d');
    }
    assertArrayEquals("abcd".getBytes(), out.toByteArray());
    assertArrayEquals(sha256().digest("abcd".getBytes()), digest.digest());
  }

  @Test
  void nothingWrittenIsTheDigestOfNothing() throws IOException {
    MessageDigest digest = sha256();
    new ConcurrentDigestOutputStream(new ByteArrayOutputStream(), digest).close();
    assertArrayEquals(sha256().digest(), digest.digest());
  }

  @Test
  void closeClosesTheOutputOnceAndAWriteAfterItFails() throws IOException {
    int[] closes = {0};
    OutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closes[0]++;
      }
    };
    ConcurrentDigestOutputStream stream = new ConcurrentDigestOutputStream(out, sha256());
    stream.close();
    stream.close();
    assertEquals(1, closes[0]);
    assertThrows(IOException.class, () -> stream.write(1));
  }

  @Test
  void theOutputsFailureIsTheWritersAndTheOutputIsClosedAllTheSame() {
    boolean[] closed = {false};
    OutputStream full = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    IOException e = assertThrows(IOException.class, () -> {
      try (ConcurrentDigestOutputStream stream = new ConcurrentDigestOutputStream(full, sha256())) {
        stream.write(new byte[BUFFER * 3]);
      }
    });
    assertEquals("No space left on device", e.getMessage());
    assertTrue(closed[0]);
  }

  @Test
  void aDigestThatFailsFailsTheClose() {
    MessageDigest broken = new MessageDigest("broken") {
      @Override
      protected void engineUpdate(byte input) {
        throw new IllegalStateException("digest broke");
      }

      @Override
      protected void engineUpdate(byte[] input, int offset, int len) {
        throw new IllegalStateException("digest broke");
      }

      @Override
      protected byte[] engineDigest() {
        return new byte[0];
      }

      @Override
      protected void engineReset() {}
    };
    // the failure is in an early buffer, not the last one
    IOException e = assertThrows(IOException.class, () -> {
      try (ConcurrentDigestOutputStream stream = new ConcurrentDigestOutputStream(new ByteArrayOutputStream(), broken)) {
        for (int i = 0; i < 8; i++) {
          stream.write(new byte[BUFFER]);
        }
      }
    });
    assertTrue(e.getMessage().contains("digest broke"), e.getMessage());
  }

  @Test
  void aWriterWaitingForASlowDigestCanBeInterrupted() throws Exception {
    CountDownLatch digestStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MessageDigest stuck = new MessageDigest("stuck") {
      @Override
      protected void engineUpdate(byte input) {}

      @Override
      protected void engineUpdate(byte[] input, int offset, int len) {
        digestStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      protected byte[] engineDigest() {
        return new byte[0];
      }

      @Override
      protected void engineReset() {}
    };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try (ConcurrentDigestOutputStream stream = new ConcurrentDigestOutputStream(new ByteArrayOutputStream(), stuck)) {
        for (int i = 0; i < 100; i++) {
          stream.write(new byte[BUFFER]); // more buffers than there are: it waits for the digest
        }
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    writer.start();
    assertTrue(digestStarted.await(10, TimeUnit.SECONDS));
    writer.interrupt();
    writer.join(10_000);
    release.countDown();
    assertFalse(writer.isAlive(), "the writer still waits");
    assertTrue(thrown.get() instanceof InterruptedIOException, String.valueOf(thrown.get()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
