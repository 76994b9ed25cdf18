package io.minify.engine.docker;

import io.minify.stream.SingleByte;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of {@code docker save}, checked as it is read. The engine sends the archive
 * after a 200 status, so a failure half-way (a layer it cannot read, the daemon dying) can
 * only show as a stream that stops early: either the transport breaks, or the chunked body
 * ends cleanly in the middle of the tar. A complete archive ends with the tar end-of-archive
 * marker (two zero blocks) on a block boundary; this stream fails its reader at the end when
 * that marker is missing, instead of handing over a silently truncated image.
 */
final class SaveStreamCheck extends FilterInputStream {

  private static final int BLOCK = 512;
  private static final int END_MARKER = 2 * BLOCK;

  private final String image;
  /** The last END_MARKER bytes read, as a ring. */
  private final byte[] tail = new byte[END_MARKER];
  private long total;
  /** Set once the end was reached: null when the archive ended as a tar ends. */
  private String endProblem;
  private boolean ended;

  SaveStreamCheck(InputStream in, String image) {
    super(in);
    this.image = image;
  }

  @Override
  public int read() throws IOException {
    return SingleByte.read(this);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException e) {
      throw new IOException("docker save " + image + ": the engine's stream broke off after " + total + " bytes: "
          + e.getMessage(), e);
    }
    if (n < 0) {
      checkEnd();
      return n;
    }
    remember(b, off, n);
    return n;
  }

  /**
   * Puts the bytes just read into the ring of the last END_MARKER bytes. Only the end of a
   * longer read can be among them, and it goes in by block copies: a loop over every byte of
   * the stream cost more CPU than the rest of reading an image.
   */
  private void remember(byte[] b, int off, int n) {
    int older = Math.max(0, n - END_MARKER); // read now, but not among the last END_MARKER bytes
    long at = total + older;
    int from = off + older;
    int left = n - older;
    while (left > 0) {
      int slot = (int) (at % END_MARKER);
      int chunk = Math.min(left, END_MARKER - slot);
      System.arraycopy(b, from, tail, slot, chunk);
      at += chunk;
      from += chunk;
      left -= chunk;
    }
    total += n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes must pass through the ring too, or the end check would see stale ones
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int got = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (got < 0) {
        break;
      }
      skipped += got;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkEnd() throws IOException {
    if (!ended) {
      ended = true;
      boolean zeros = total >= END_MARKER;
      for (int i = 0; zeros && i < END_MARKER; i++) {
        zeros = tail[i] == 0;
      }
      if (total % BLOCK != 0 || !zeros) {
        endProblem = "docker save " + image + ": the engine's stream ended after " + total
            + " bytes, inside the archive (no tar end-of-archive marker): the engine failed while saving";
      }
    }
    // every read at the end fails, not only the first: a reader that retries must not see a clean end
    if (endProblem != null) {
      throw new IOException(endProblem);
    }
  }
}
