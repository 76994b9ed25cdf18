package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TailBufferTest {

  @Test
  void keepsEverythingBelowItsCapacity() {
    TailBuffer b = new TailBuffer(8);
    b.append(new byte[] {1, 2});
    b.append(new byte[] {3});
    assertArrayEquals(new byte[] {1, 2, 3}, b.bytes());
  }

  @Test
  void keepsTheLastBytesOldestFirstOnceFull() {
    TailBuffer b = new TailBuffer(4);
    b.append(new byte[] {1, 2, 3});
    b.append(new byte[] {4, 5, 6});
    assertArrayEquals(new byte[] {3, 4, 5, 6}, b.bytes());
    b.append(new byte[] {(byte) 0xff});
    assertArrayEquals(new byte[] {4, 5, 6, (byte) 0xff}, b.bytes());
  }
}
