package io.minify.elf;

import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable view of an image file's content over {@link ImageFilesystem#open}:
 * forward seeks skip, backward seeks reopen the stream. The ELF parser seeks backwards at
 * most a couple of times per file, so this stays cheap without loading whole libraries.
 */
final class ImageFileChannel implements SeekableByteChannel {
  private final ImageFilesystem fs;
  private final FileEntry entry;
  private final long size;
  private InputStream stream;
  private long streamPosition;
  private long position;
  private boolean open = true;

  ImageFileChannel(ImageFilesystem fs, FileEntry entry, long size) {
    this.fs = fs;
    this.entry = entry;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (position >= size) {
      return -1;
    }
    if (stream == null || streamPosition > position) {
      closeStream();
      stream = fs.open(entry);
      streamPosition = 0;
    }
    while (streamPosition < position) {
      long skipped = stream.skip(position - streamPosition);
      if (skipped <= 0) {
        if (stream.read() < 0) {
          return -1;
        }
        skipped = 1;
      }
      streamPosition += skipped;
    }
    int wanted = (int) Math.min(dst.remaining(), size - position);
    byte[] chunk = new byte[Math.min(wanted, 64 * 1024)];
    int n = stream.read(chunk, 0, chunk.length);
    if (n < 0) {
      return -1;
    }
    dst.put(chunk, 0, n);
    position += n;
    streamPosition += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    closeStream();
  }

  private void closeStream() throws IOException {
    if (stream != null) {
      stream.close();
      stream = null;
    }
  }
}
