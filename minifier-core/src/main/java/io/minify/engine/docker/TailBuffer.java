package io.minify.engine.docker;

import java.util.Arrays;

/**
 * The last {@code capacity} bytes of a stream that arrives in pieces (frames of an exec's or
 * a container's output), from any thread.
 */
final class TailBuffer {

  private final byte[] ring;
  private long total;

  TailBuffer(int capacity) {
    ring = new byte[capacity];
  }

  synchronized void append(byte[] piece) {
    for (byte b : piece) {
      ring[(int) (total++ % ring.length)] = b;
    }
  }

  /** The bytes kept, oldest first. */
  synchronized byte[] bytes() {
    if (total <= ring.length) {
      return Arrays.copyOf(ring, (int) total);
    }
    int start = (int) (total % ring.length);
    byte[] out = new byte[ring.length];
    System.arraycopy(ring, start, out, 0, ring.length - start);
    System.arraycopy(ring, 0, out, ring.length - start, start);
    return out;
  }
}
