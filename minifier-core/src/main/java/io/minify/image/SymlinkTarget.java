package io.minify.image;

import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a symlink points to, as the bytes stored in the image ("../lib/libz.so.1",
 * "/usr/bin/python3"): relative to the link's directory or, when it starts with '/', to the
 * image root (never the host's). Kept exactly as stored; value equality.
 */
public final class SymlinkTarget {
  private final byte[] bytes;

  private SymlinkTarget(byte[] bytes) {
    this.bytes = bytes;
  }

  public static SymlinkTarget of(byte[] bytes) {
    return new SymlinkTarget(bytes.clone());
  }

  /** A target written as text (tests, synthetic images). */
  public static SymlinkTarget of(String text) {
    return new SymlinkTarget(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public boolean isAbsolute() {
    return bytes.length > 0 && bytes[0] == '/';
  }

  /** The non-empty components, "." and ".." kept as they are (resolution gives them meaning). */
  public List<byte[]> components() {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '/') {
        if (i > start) {
          parts.add(Arrays.copyOfRange(bytes, start, i));
        }
        start = i + 1;
      }
    }
    return parts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SymlinkTarget t && Arrays.equals(bytes, t.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** For people to read; see {@link UnixPath#toString()}. */
  @Override
  public String toString() {
    return UnixPath.display(bytes);
  }
}
