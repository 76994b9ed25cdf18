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
  private long total;
  /**
   * How many bytes were read up to and including the last one that is not zero: the end
   * marker is there when the last END_MARKER bytes are all zero. Found by scanning each read
   * backwards to its last non-zero byte, which for a layer's bytes is almost always its last
   * (copying every byte into a ring of the last 1,024 cost a second of CPU per gigabyte).
   */
  private long throughLastNonZero;
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
    for (int i = off + n - 1; i >= off; i--) {
      if (b[i] != 0) {
        throughLastNonZero = total + (i - off) + 1;
        break;
      }
    }
    total += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes must be looked at too, or the end check would miss a non-zero one
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
      boolean zeros = total >= END_MARKER && throughLastNonZero <= total - END_MARKER;
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
