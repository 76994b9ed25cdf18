package io.minify.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Skipping and draining for streams that must see every byte that passes (to hash it, copy it
 * or find where its zeros start): both go through the stream's own
 * {@link InputStream#read(byte[], int, int)}, never around it.
 */
public final class EveryByte {

  private EveryByte() {}

  /**
   * Skips up to {@code n} bytes of {@code in} by reading them into {@code buffer}; returns how
   * many were skipped, fewer only at the end of the stream.
   */
  public static long skip(InputStream in, byte[] buffer, long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** Reads what is left of {@code in} into {@code buffer}, a block at a time. */
  public static void drain(InputStream in, byte[] buffer) throws IOException {
    while (in.read(buffer, 0, buffer.length) >= 0) {
      // what read() does with the bytes is the point
    }
  }
}
