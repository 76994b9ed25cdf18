package io.minify.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A buffered output stream that also digests what passes through it, on a thread of its own:
 * while the writer's thread hands one buffer to the output and fills the next, the digest runs
 * over the buffer before. Writing a layer is two jobs over the same bytes, SHA-256 (about
 * 1.4 GB/s on one core, with the CPU's SHA instructions) and copying them into the page cache;
 * on one thread their times add up, on two they overlap. The digest is the one a
 * {@link java.security.DigestOutputStream} computes: buffers are digested in the order they
 * were filled, every byte once.
 *
 * <p>One writer thread. {@link #close()} writes what is buffered, waits for the digest and
 * closes the output: only then is the digest complete, and the caller may read it.
 */
public final class ConcurrentDigestOutputStream extends OutputStream {
  /**
   * At most what the JDK keeps as a cached direct buffer per thread (the launcher's
   * {@code jdk.nio.maxCachedBufferSize}): a larger heap buffer written to a file channel would
   * make it allocate and free a direct buffer for every write.
   */
  static final int BUFFER_BYTES = 256 << 10;
  /**
   * The first buffer's size; each next one is twice the last up to BUFFER_BYTES: most files of
   * a {@code docker save} archive are a few bytes of JSON, and a reader of many of them (a
   * fuzzed archive) must not allocate a megabyte for each.
   */
  static final int FIRST_BUFFER_BYTES = 16 << 10;
  /** One being filled, one being written, one being digested, one waiting: the two threads never wait for each other's turn. */
  private static final int BUFFERS = 4;

  private final OutputStream out;
  private final MessageDigest digest;
  private final ExecutorService digester;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
  private byte[] current;
  private int filled;
  /** Buffers made so far; a smaller one that comes back free is replaced, so at most BUFFERS live. */
  private int made;
  private int nextBytes = FIRST_BUFFER_BYTES;
  /** The last buffer's digest task: tasks run in order on one thread, so it ends after every other. */
  private Future<?> lastDigested;
  /** What a digest task threw; a task before the last one fails silently otherwise. */
  private volatile Throwable digestFailure;
  private boolean closed;

  /** Writes to {@code out} (owned: closed by {@link #close()}) and feeds {@code digest}, which the caller reads after close. */
  public ConcurrentDigestOutputStream(OutputStream out, MessageDigest digest) {
    this.out = out;
    this.digest = digest;
    this.digester = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "minify-digest");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      if (current == null) {
        current = nextFree();
      }
      int n = Math.min(len, current.length - filled);
      System.arraycopy(b, off, current, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == current.length) {
        handOver();
      }
    }
  }

  /** Writes what is buffered to the output (and hands it to the digest), then flushes the output. */
  @Override
  public void flush() throws IOException {
    if (filled > 0) {
      handOver();
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      flush();
      closed = true;
      awaitDigest();
    } finally {
      closed = true;
      digester.shutdownNow();
      out.close();
    }
  }

  private byte[] nextFree() throws InterruptedIOException {
    byte[] buffer = free.poll();
    if (buffer == null && made < BUFFERS) {
      made++;
      buffer = new byte[nextBytes];
    } else if (buffer == null) {
      try {
        buffer = free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the digest");
      }
    }
    if (buffer.length < nextBytes) {
      buffer = new byte[nextBytes];
    }
    nextBytes = Math.min(BUFFER_BYTES, nextBytes * 2);
    return buffer;
  }

  /** The output write stays on the writer's thread, so its failure is the writer's. */
  private void handOver() throws IOException {
    byte[] full = current;
    int n = filled;
    current = null;
    filled = 0;
    try {
      out.write(full, 0, n);
    } catch (IOException | RuntimeException e) {
      free.add(full);
      throw e;
    }
    lastDigested = digester.submit(() -> {
      try {
        digest.update(full, 0, n);
      } catch (RuntimeException | Error e) {
        digestFailure = e;
        throw e;
      } finally {
        free.add(full);
      }
    });
  }

  private void awaitDigest() throws IOException {
    if (lastDigested == null) {
      return;
    }
    try {
      lastDigested.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the digest");
    } catch (ExecutionException e) {
      throw new IOException("digesting the written bytes failed: " + e.getCause(), e.getCause());
    }
    if (digestFailure != null) {
      throw new IOException("digesting the written bytes failed: " + digestFailure, digestFailure);
    }
  }
}
