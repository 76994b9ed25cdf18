package io.minify.image;

import io.minify.stream.SingleByte;
import io.minify.tar.SparseMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * The content of a sparse file: its stored segments, read with positional reads from where
 * the layer stores them one after the other, and zeros for the holes between them and after
 * the last one.
 */
final class SparseContentStream extends InputStream {
  private final FileChannel channel;
  private final List<SparseMap.Segment> segments;
  private final long realSize;
  /** Offset in the layer file of the next stored byte. */
  private long storedPosition;
  /** Offset in the file being read. */
  private long position;
  private int segment;

  SparseContentStream(FileChannel channel, long dataOffset, SparseMap map) {
    this.channel = channel;
    this.segments = map.segments();
    this.realSize = map.realSize();
    this.storedPosition = dataOffset;
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
    if (position >= realSize) {
      return -1;
    }
    while (segment < segments.size() && position >= segments.get(segment).offset() + segments.get(segment).length()) {
      segment++;
    }
    if (segment < segments.size() && position >= segments.get(segment).offset()) {
      SparseMap.Segment s = segments.get(segment);
      long inSegment = position - s.offset();
      int wanted = (int) Math.min(len, s.length() - inSegment);
      int n = channel.read(ByteBuffer.wrap(buffer, off, wanted), storedPosition);
      if (n < 0) {
        throw new IOException("layer tar ends inside a sparse file's content (truncated file?)");
      }
      storedPosition += n;
      position += n;
      return n;
    }
    long holeEnd = segment < segments.size() ? Math.min(segments.get(segment).offset(), realSize) : realSize;
    int n = (int) Math.min(len, holeEnd - position);
    Arrays.fill(buffer, off, off + n, (byte) 0);
    position += n;
    return n;
  }
}
