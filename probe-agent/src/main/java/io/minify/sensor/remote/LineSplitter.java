package io.minify.sensor.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts a byte stream that arrives in arbitrary chunks (the engine's log or attach frames
 * split lines anywhere) into lines, and hands each whole line, without its {@code '\n'}, to
 * a {@link Sink} such as {@link SensorOutput#accept}. An {@link OutputStream}, so the frames
 * can be copied into it as they come.
 *
 * <p>A line longer than the bound is an {@link IOException} as soon as the bound is passed,
 * so a stream without newlines cannot make it buffer without end. {@link #close()} at the end
 * of the stream fails when bytes after the last newline are left: the stream stopped in the
 * middle of a line.
 */
public final class LineSplitter extends OutputStream {

  /** Takes one whole line. */
  @FunctionalInterface
  public interface Sink {
    void accept(byte[] line) throws IOException;
  }

  private final Sink sink;
  private final int maxLineBytes;
  private byte[] pending = new byte[256];
  private int length;
  private boolean closed;

  /** Lines of at most {@link SensorOutput#MAX_LINE_BYTES}. */
  public LineSplitter(Sink sink) {
    this(sink, SensorOutput.MAX_LINE_BYTES);
  }

  public LineSplitter(Sink sink, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
    this.sink = Objects.requireNonNull(sink);
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] chunk, int offset, int count) throws IOException {
    Objects.checkFromIndexSize(offset, count, chunk.length);
    if (closed) {
      throw new IOException("the line splitter is closed");
    }
    int end = offset + count;
    int start = offset;
    for (int i = offset; i < end; i++) {
      if (chunk[i] == '\n') {
        append(chunk, start, i - start);
        byte[] line = Arrays.copyOf(pending, length);
        length = 0;
        sink.accept(line);
        start = i + 1;
      }
    }
    append(chunk, start, end - start);
  }

  private void append(byte[] chunk, int from, int count) throws IOException {
    if (count == 0) {
      return;
    }
    if (count > maxLineBytes - length) {
      throw new IOException("a line of the file monitor's output is longer than " + maxLineBytes + " bytes");
    }
    if (length + count > pending.length) {
      pending = Arrays.copyOf(pending, Math.min(maxLineBytes, Math.max(length + count, pending.length * 2)));
    }
    System.arraycopy(chunk, from, pending, length, count);
    length += count;
  }

  /** Ends the stream; fails when it stopped in the middle of a line. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (length > 0) {
      throw new IOException("the file monitor's output ended in the middle of a line (" + length
          + " bytes after the last newline)");
    }
  }
}
