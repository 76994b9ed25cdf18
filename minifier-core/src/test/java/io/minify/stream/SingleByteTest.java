package io.minify.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleByteTest {

  /** Reads only in blocks and records each block's length; read() goes through SingleByte. */
  private static final class BlockCounting extends InputStream {
    final ByteArrayInputStream in;
    final List<Integer> blocks = new ArrayList<>();

    BlockCounting(byte[] bytes) {
      this.in = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() throws java.io.IOException {
      return SingleByte.read(this);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      blocks.add(len);
      return in.read(b, off, len);
    }
  }

  @Test
  void aByteIsReadAsABlockOfOneAndComesOutUnsigned() throws Exception {
    BlockCounting in = new BlockCounting(new byte[] {(byte) 0xff, 7});
    assertEquals(255, in.read());
    assertEquals(7, in.read());
    assertEquals(-1, in.read());
    assertEquals(List.of(1, 1, 1), in.blocks);
  }
}
