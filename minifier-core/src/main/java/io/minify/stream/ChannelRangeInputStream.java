package io.minify.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads {@code length} bytes of a file starting at {@code offset} with positional reads,
 * so many streams can share one channel and skipping is free.
 */
public final class ChannelRangeInputStream extends InputStream {
  private final FileChannel channel;
  private final long end;
  private long position;

  public ChannelRangeInputStream(FileChannel channel, long offset, long length) {
    this.channel = channel;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read() throws IOException {
    return SingleByte.read(this);
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long remaining = end - position;
    if (remaining <= 0) {
      return -1;
    }
    int wanted = (int) Math.min(len, remaining);
    int n = channel.read(ByteBuffer.wrap(buffer, off, wanted), position);
    if (n < 0) {
      throw new IOException("the file ends inside the range read from it (truncated file?)");
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
