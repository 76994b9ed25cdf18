package io.minify.path;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An absolute, normalized path inside a container or image ("/", "/usr/lib/libc.so.6"),
 * held as the bytes of its name.
 *
 * <p>Linux file names are byte strings: any byte but NUL and '/' may appear in a name, and
 * nothing makes them UTF-8. A name decoded as text and encoded again can come back changed
 * (an invalid byte turns into U+FFFD, two such names collapse into one), and the app then gets
 * ENOENT in the slim image. So a path stays bytes from where it is read (a tar header, the
 * link of a fanotify event's fd) to where it is written (the slim layer), and text exists
 * only at the edges: {@link #of(String)} for paths a user or an image config wrote as text,
 * {@link #toString()} for reports and messages.
 *
 * <p>Normalized means: it starts with '/', has no empty, "." or ".." component and no
 * trailing '/' (except the root itself). Instances are immutable; equality and order are
 * those of the bytes (unsigned), which is also the order of a reproducible tar.
 */
public final class UnixPath implements Comparable<UnixPath> {
  private static final byte SLASH = '/';

  /** "/". */
  public static final UnixPath ROOT = new UnixPath(new byte[] {SLASH});

  private final byte[] bytes;
  private int hash;

  private UnixPath(byte[] normalized) {
    this.bytes = normalized;
  }

  /**
   * A path a user or an image config wrote as text (UTF-8): relative paths are taken from
   * the root, "." and empty components are dropped, ".." climbs lexically but never above
   * "/" (as the kernel does at the root).
   */
  public static UnixPath of(String path) {
    return normalizeLexically(path.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The bytes of an absolute path as the kernel reports it (the target of a
   * {@code /proc/self/fd/N} link), normalized like {@link #of(String)}.
   *
   * @throws IllegalArgumentException when the bytes do not start with '/' or hold a NUL
   */
  public static UnixPath ofBytes(byte[] absolute) {
    if (absolute.length == 0 || absolute[0] != SLASH) {
      throw new IllegalArgumentException("not an absolute path: " + display(absolute));
    }
    return normalizeLexically(absolute);
  }

  /**
   * A tar entry name or hardlink target ("./usr/bin/", "usr/bin/env", "/etc/x"): leading
   * "./" and '/', doubled and trailing slashes and "." components are dropped.
   *
   * @return empty when a component is ".." (such a name could escape the root; the caller
   *     rejects it) or a byte is NUL
   */
  public static Optional<UnixPath> ofEntryName(byte[] name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(name.length + 1);
    int i = 0;
    while (i <= name.length) {
      int end = indexOf(name, SLASH, i);
      int length = end - i;
      if (length == 2 && name[i] == '.' && name[i + 1] == '.') {
        return Optional.empty();
      }
      if (length > 0 && !(length == 1 && name[i] == '.')) {
        if (indexOf(name, (byte) 0, i) < end) {
          return Optional.empty();
        }
        out.write(SLASH);
        out.write(name, i, length);
      }
      i = end + 1;
    }
    return Optional.of(out.size() == 0 ? ROOT : new UnixPath(out.toByteArray()));
  }

  private static UnixPath normalizeLexically(byte[] path) {
    List<int[]> components = new ArrayList<>(); // {start, length}
    int i = 0;
    while (i <= path.length) {
      int end = indexOf(path, SLASH, i);
      int length = end - i;
      if (length == 2 && path[i] == '.' && path[i + 1] == '.') {
        if (!components.isEmpty()) {
          components.remove(components.size() - 1);
        }
      } else if (length > 0 && !(length == 1 && path[i] == '.')) {
        if (indexOf(path, (byte) 0, i) < end) {
          throw new IllegalArgumentException("a path cannot hold a NUL byte: " + display(path));
        }
        components.add(new int[] {i, length});
      }
      i = end + 1;
    }
    if (components.isEmpty()) {
      return ROOT;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(path.length + 1);
    for (int[] c : components) {
      out.write(SLASH);
      out.write(path, c[0], c[1]);
    }
    return new UnixPath(out.toByteArray());
  }

  /** The path's bytes ("/usr/bin/env"); a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The path without its leading '/' ("usr/bin/env", "" for the root): a tar entry name. */
  public byte[] relativeBytes() {
    return Arrays.copyOfRange(bytes, 1, bytes.length);
  }

  /**
   * The path as text, when its bytes are valid UTF-8: then text and bytes convert both ways
   * without loss. Empty otherwise; callers that need text (to expand $ORIGIN in a search
   * path, say) must then do without, rather than work on a changed name.
   */
  public Optional<String> toUtf8() {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Number of bytes of {@link #bytes()}. */
  public int byteLength() {
    return bytes.length;
  }

  public boolean isRoot() {
    return bytes.length == 1;
  }

  /** The directory holding this path; the root for the root itself and top-level entries. */
  public UnixPath parent() {
    int slash = lastSlash();
    return slash <= 0 ? ROOT : new UnixPath(Arrays.copyOf(bytes, slash));
  }

  /** The last component ("env" of "/usr/bin/env"; empty for the root); a copy. */
  public byte[] name() {
    return Arrays.copyOfRange(bytes, lastSlash() + 1, bytes.length);
  }

  /** The path of {@code name} in this directory. */
  public UnixPath child(byte[] name) {
    if (name.length == 0 || indexOf(name, SLASH, 0) < name.length || indexOf(name, (byte) 0, 0) < name.length
        || (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
      throw new IllegalArgumentException("not a file name: " + display(name));
    }
    byte[] joined = Arrays.copyOf(bytes, (isRoot() ? 0 : bytes.length) + 1 + name.length);
    joined[isRoot() ? 0 : bytes.length] = SLASH;
    System.arraycopy(name, 0, joined, joined.length - name.length, name.length);
    return new UnixPath(joined);
  }

  /** The path of {@code name} (text, UTF-8) in this directory. */
  public UnixPath child(String name) {
    return child(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * This directory joined with a relative path written as text ("lib/x86_64-linux-gnu"),
   * normalized like {@link #of(String)}.
   */
  public UnixPath resolve(String relative) {
    byte[] tail = relative.getBytes(StandardCharsets.UTF_8);
    byte[] joined = Arrays.copyOf(bytes, bytes.length + 1 + tail.length);
    joined[bytes.length] = SLASH;
    System.arraycopy(tail, 0, joined, bytes.length + 1, tail.length);
    return normalizeLexically(joined);
  }

  /** Whether this path is {@code ancestor} itself or lies below it. */
  public boolean isSameOrBelow(UnixPath ancestor) {
    if (ancestor.isRoot()) {
      return true;
    }
    int n = ancestor.bytes.length;
    return bytes.length >= n && Arrays.equals(bytes, 0, n, ancestor.bytes, 0, n)
        && (bytes.length == n || bytes[n] == SLASH);
  }

  /** Whether this path lies strictly below {@code ancestor}. */
  public boolean isBelow(UnixPath ancestor) {
    return !equals(ancestor) && isSameOrBelow(ancestor);
  }

  /** Number of components (0 for the root, 3 for "/usr/bin/env"). */
  public int depth() {
    int count = 0;
    for (byte b : bytes) {
      if (b == SLASH) {
        count++;
      }
    }
    return isRoot() ? 0 : count;
  }

  /** The ancestor made of the first {@code components} components ("/usr" for 1 of "/usr/bin/env"). */
  public UnixPath prefix(int components) {
    if (components <= 0) {
      return ROOT;
    }
    int seen = 0;
    for (int i = 1; i < bytes.length; i++) {
      if (bytes[i] == SLASH && ++seen == components) {
        return new UnixPath(Arrays.copyOf(bytes, i));
      }
    }
    return this;
  }

  /** Every component, as bytes, root first. */
  public List<byte[]> components() {
    List<byte[]> parts = new ArrayList<>();
    int i = 1;
    while (i < bytes.length) {
      int end = indexOf(bytes, SLASH, i);
      parts.add(Arrays.copyOfRange(bytes, i, end));
      i = end + 1;
    }
    return parts;
  }

  /** Whether the last component is exactly {@code name} (compared as UTF-8 bytes). */
  public boolean nameEquals(String name) {
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    int start = lastSlash() + 1;
    return bytes.length - start == wanted.length && Arrays.equals(bytes, start, bytes.length, wanted, 0, wanted.length);
  }

  /** Whether the last component starts with {@code prefix} (compared as UTF-8 bytes). */
  public boolean nameStartsWith(String prefix) {
    byte[] wanted = prefix.getBytes(StandardCharsets.UTF_8);
    int start = lastSlash() + 1;
    return bytes.length - start >= wanted.length
        && Arrays.equals(bytes, start, start + wanted.length, wanted, 0, wanted.length);
  }

  /** Whether the last component ends with {@code suffix} (compared as UTF-8 bytes). */
  public boolean nameEndsWith(String suffix) {
    byte[] wanted = suffix.getBytes(StandardCharsets.UTF_8);
    int start = lastSlash() + 1;
    return bytes.length - start >= wanted.length
        && Arrays.equals(bytes, bytes.length - wanted.length, bytes.length, wanted, 0, wanted.length);
  }

  /**
   * The smallest path that sorts after every path below this one: descendants of "/a" are
   * exactly the paths in ["/a/", "/a0"), since '0' is the byte after '/'. For sorted maps.
   */
  public UnixPath subtreeStart() {
    return isRoot() ? this : new UnixPath(withLastByte(SLASH));
  }

  /** The end (exclusive) of {@link #subtreeStart()}'s range. */
  public UnixPath subtreeEnd() {
    return isRoot() ? new UnixPath(new byte[] {SLASH + 1}) : new UnixPath(withLastByte((byte) (SLASH + 1)));
  }

  private byte[] withLastByte(byte last) {
    byte[] b = Arrays.copyOf(bytes, bytes.length + 1);
    b[bytes.length] = last;
    return b;
  }

  private int lastSlash() {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == SLASH) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] array, byte value, int from) {
    for (int i = from; i < array.length; i++) {
      if (array[i] == value) {
        return i;
      }
    }
    return array.length;
  }

  @Override
  public int compareTo(UnixPath other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UnixPath that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /**
   * The path for people to read (reports, messages): valid UTF-8 as it is; a byte that is not
   * part of valid UTF-8, a control byte and the backslash are written as {@code \xHH} and
   * {@code \\}, so the text names one path only. Never turned back into a path for use.
   */
  @Override
  public String toString() {
    return display(bytes);
  }

  /** {@link #toString()}'s rendering of any byte string (names, link targets). */
  public static String display(byte[] name) {
    StringBuilder out = new StringBuilder(name.length + 8);
    int i = 0;
    while (i < name.length) {
      int b = name[i] & 0xff;
      int length = utf8SequenceLength(name, i);
      if (length > 1) {
        out.append(new String(name, i, length, StandardCharsets.UTF_8));
        i += length;
      } else if (b == '\\') {
        out.append("\\\\");
        i++;
      } else if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
        i++;
      } else {
        out.append(String.format("\\x%02x", b));
        i++;
      }
    }
    return out.toString();
  }

  /** Length of the well-formed multi-byte UTF-8 sequence at {@code i}, else 1 (ASCII or invalid). */
  private static int utf8SequenceLength(byte[] s, int i) {
    int b = s[i] & 0xff;
    int length;
    int min;
    if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return 1;
    }
    if (i + length > s.length) {
      return 1;
    }
    int cp = b & (0xff >> (length + 1));
    for (int k = 1; k < length; k++) {
      int c = s[i + k] & 0xff;
      if ((c & 0xc0) != 0x80) {
        return 1;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return 1;
    }
    return length;
  }
}
