package io.minify.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Reads of an ELF file at absolute offsets, each checked against the file's size first: a
 * header naming a table beyond the end is a format error, never a huge allocation.
 */
final class BoundedReader {
  private final SeekableByteChannel channel;
  private final long size;

  BoundedReader(SeekableByteChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  long size() {
    return size;
  }

  /** {@code length} bytes at {@code offset}, in {@code order}; {@code what} names them in errors. */
  ByteBuffer read(long offset, long length, ByteOrder order, String what) throws IOException, ElfFormatException {
    if (offset < 0 || length < 0 || length > Integer.MAX_VALUE || offset > size || length > size - offset) {
      throw new ElfFormatException(what + " (offset " + Long.toUnsignedString(offset) + ", "
          + Long.toUnsignedString(length) + " bytes) lies outside the " + size + "-byte file");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) length);
    channel.position(offset);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new ElfFormatException(what + " is truncated");
      }
    }
    return buffer.flip().order(order);
  }

  static int u16(ByteBuffer buffer, int index) {
    return Short.toUnsignedInt(buffer.getShort(index));
  }

  static long u32(ByteBuffer buffer, int index) {
    return Integer.toUnsignedLong(buffer.getInt(index));
  }
}
