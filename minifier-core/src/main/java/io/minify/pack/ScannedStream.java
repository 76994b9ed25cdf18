package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.stream.EveryByte;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them (sha256), counting them and noting where the last
 * non-zero byte was: what a validator needs to name a blob's digest and to see whether a tar
 * ends with zero blocks. Skipped bytes are read, so they are hashed too.
 */
final class ScannedStream extends InputStream {
  private final InputStream in;
  private final MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
  private final byte[] skipBuffer = new byte[1 << 16];
  private long count;
  private long nonZeroEnd;

  ScannedStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sha256.update(b, off, n);
      for (int i = off + n - 1; i >= off; i--) {
        if (b[i] != 0) {
          nonZeroEnd = count + (i - off) + 1;
          break;
        }
      }
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return EveryByte.skip(this, skipBuffer, n);
  }

  /** Reads what is left. */
  void drain() throws IOException {
    EveryByte.drain(this, skipBuffer);
  }

  /** Bytes passed through so far. */
  long count() {
    return count;
  }

  /** Offset just after the last non-zero byte passed through (0 when all were zero). */
  long nonZeroEnd() {
    return nonZeroEnd;
  }

  /** "sha256:&lt;hex&gt;" of the bytes passed through; call once, at the end. */
  String digest() {
    return Digest.of(sha256).toString();
  }
}
