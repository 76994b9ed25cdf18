package io.minify.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A few entries of minify's own as a tar in memory (root-owned, mtime 0, in the order given):
 * the start gate copied into a container, the sensor image's layer. Never for image content,
 * which {@link TarWriter} writes from the image's own headers.
 */
public final class SmallTar {

  /** One entry; {@code content} is empty for a directory or a FIFO. */
  public record Entry(String name, byte type, int mode, byte[] content) {
    public Entry {
      content = content.clone();
    }
  }

  private SmallTar() {}

  public static Entry directory(String name, int mode) {
    return new Entry(name, TarHeader.DIRECTORY, mode, new byte[0]);
  }

  public static Entry file(String name, int mode, byte[] content) {
    return new Entry(name, TarHeader.REGULAR, mode, content);
  }

  public static Entry fifo(String name, int mode) {
    return new Entry(name, TarHeader.FIFO, mode, new byte[0]);
  }

  public static byte[] of(List<Entry> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarWriter tar = new TarWriter(bytes);
    try {
      for (Entry e : entries) {
        byte[] content = e.content();
        tar.putEntry(new TarWriter.Member(e.name().getBytes(StandardCharsets.UTF_8), e.type(), e.mode(), 0, 0,
            content.length, 0, new byte[0], 0, 0, Xattrs.NONE));
        tar.write(content, 0, content.length);
        tar.closeEntry(content.length);
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a tar in memory", e);
    }
    return bytes.toByteArray();
  }
}
