package io.minify.tar;

import io.minify.path.UnixPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX tar stream whose bytes depend only on the members given: ustar headers
 * with empty user and group names, and a PAX extended header only for what ustar cannot
 * hold (names and link names that do not fit, big numbers, extended attributes). Names,
 * link names and xattrs are written as the bytes they are: a name that is not UTF-8 goes
 * into the ustar fields or a PAX record unchanged, which is how the engine reads it back.
 *
 * <p>Not thread-safe; one member at a time: {@link #putEntry}, its content through
 * {@link #write}, {@link #closeEntry}; then {@link #finish}.
 */
public final class TarWriter {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;
  private static final byte[] PAX_HEADER_NAME = "PaxHeader".getBytes(StandardCharsets.US_ASCII);

  /**
   * One member to write.
   *
   * @param name     relative name bytes ("usr/bin/env"; directories end with '/')
   * @param typeFlag tar type byte ({@link TarHeader#REGULAR}, {@link TarHeader#DIRECTORY}, ...)
   * @param size     content bytes that follow (regular files only, else 0)
   * @param linkName hardlink or symlink target, empty otherwise
   */
  public record Member(byte[] name, byte typeFlag, int mode, long uid, long gid, long size, long mtimeEpochSeconds,
      byte[] linkName, int devMajor, int devMinor, Xattrs xattrs) {
    public Member {
      name = name.clone();
      linkName = linkName.clone();
    }
  }

  private final OutputStream out;
  private final byte[] zeros = new byte[BLOCK];
  private long remaining = -1;
  private long written;

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes the headers of {@code m}; its {@code size} bytes of content must follow. */
  public void putEntry(Member m) throws IOException {
    if (remaining > 0) {
      throw new IllegalStateException(remaining + " bytes of the previous member were not written");
    }
    byte[] header = new byte[BLOCK];
    ByteArrayOutputStream pax = new ByteArrayOutputStream();

    byte[] name = m.name();
    if (name.length <= 100) {
      System.arraycopy(name, 0, header, 0, name.length);
    } else {
      int split = ustarSplit(name);
      if (split > 0) {
        System.arraycopy(name, 0, header, 345, split);
        System.arraycopy(name, split + 1, header, 0, name.length - split - 1);
      } else {
        paxRecord(pax, "path", name);
        System.arraycopy(name, 0, header, 0, 100); // readers that ignore PAX still see a prefix
      }
    }
    octal(header, 100, 8, m.mode() & 07777);
    number(header, 108, 8, m.uid(), MAX_OCTAL_7, "uid", pax);
    number(header, 116, 8, m.gid(), MAX_OCTAL_7, "gid", pax);
    number(header, 124, 12, m.size(), MAX_OCTAL_11, "size", pax);
    number(header, 136, 12, m.mtimeEpochSeconds(), MAX_OCTAL_11, "mtime", pax);
    header[156] = m.typeFlag();
    byte[] link = m.linkName();
    if (link.length <= 100) {
      System.arraycopy(link, 0, header, 157, link.length);
    } else {
      paxRecord(pax, "linkpath", link);
    }
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
    header[263] = '0';
    header[264] = '0';
    number(header, 329, 8, m.devMajor(), MAX_OCTAL_7, "SCHILY.devmajor", pax);
    number(header, 337, 8, m.devMinor(), MAX_OCTAL_7, "SCHILY.devminor", pax);
    for (Xattrs.Xattr x : m.xattrs().list()) {
      byte[] key = concat("SCHILY.xattr.".getBytes(StandardCharsets.US_ASCII), x.name());
      paxRecord(pax, key, x.value());
    }

    if (pax.size() > 0) {
      byte[] records = pax.toByteArray();
      byte[] paxHeader = new byte[BLOCK];
      System.arraycopy(PAX_HEADER_NAME, 0, paxHeader, 0, PAX_HEADER_NAME.length);
      octal(paxHeader, 100, 8, 0644);
      octal(paxHeader, 108, 8, 0);
      octal(paxHeader, 116, 8, 0);
      octal(paxHeader, 124, 12, records.length);
      octal(paxHeader, 136, 12, 0);
      paxHeader[156] = 'x';
      System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, paxHeader, 257, 6);
      paxHeader[263] = '0';
      paxHeader[264] = '0';
      octal(paxHeader, 329, 8, 0);
      octal(paxHeader, 337, 8, 0);
      checksum(paxHeader);
      emit(paxHeader, 0, BLOCK);
      emit(records, 0, records.length);
      pad(records.length);
    }
    checksum(header);
    emit(header, 0, BLOCK);
    remaining = m.size();
  }

  /** Content of the current member. */
  public void write(byte[] b, int off, int len) throws IOException {
    if (len > remaining) {
      throw new IllegalStateException("more content than the member's size");
    }
    emit(b, off, len);
    remaining -= len;
  }

  /**
   * Counts {@code len} bytes of the current member's content that the caller wrote to the
   * underlying output itself, past this writer (a file the kernel copies into the archive's
   * file); what this writer wrote before them must have been flushed to that output first.
   */
  public void contentWrittenPast(long len) {
    if (len > remaining) {
      throw new IllegalStateException("more content than the member's size");
    }
    remaining -= len;
    written += len;
  }

  /** Ends the current member, padding its content to a block. */
  public void closeEntry(long size) throws IOException {
    if (remaining != 0) {
      throw new IllegalStateException(remaining + " bytes of the member's content are missing");
    }
    pad(size);
    remaining = -1;
  }

  /** Writes the end-of-archive marker (two zero blocks). Does not close the stream. */
  public void finish() throws IOException {
    if (remaining > 0) {
      throw new IllegalStateException(remaining + " bytes of the last member were not written");
    }
    emit(zeros, 0, BLOCK);
    emit(zeros, 0, BLOCK);
    out.flush();
  }

  /** Bytes written so far. */
  public long bytesWritten() {
    return written;
  }

  /**
   * Where to split a long name into ustar prefix and name: the last '/' that leaves a prefix
   * of at most 155 bytes and a name of at most 100; -1 when there is none.
   */
  static int ustarSplit(byte[] name) {
    for (int i = Math.min(155, name.length - 2); i > 0; i--) {
      if (name[i] == '/' && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
        return i;
      }
    }
    return -1;
  }

  private void number(byte[] header, int offset, int length, long value, long max, String paxKey,
      ByteArrayOutputStream pax) throws IOException {
    if (value >= 0 && value <= max) {
      octal(header, offset, length, value);
    } else {
      octal(header, offset, length, 0);
      paxRecord(pax, paxKey, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** {@code length - 1} zero-padded octal digits and a NUL. */
  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    int width = length - 1;
    for (int i = 0; i < width; i++) {
      int from = digits.length() - width + i;
      header[offset + i] = (byte) (from < 0 ? '0' : digits.charAt(from));
    }
    header[offset + width] = 0;
  }

  private static void checksum(byte[] header) {
    Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    // six octal digits, NUL, space: what ustar writers commonly store
    String digits = String.format("%06o", sum);
    for (int i = 0; i < 6; i++) {
      header[148 + i] = (byte) digits.charAt(i);
    }
    header[154] = 0;
    header[155] = ' ';
  }

  private static void paxRecord(ByteArrayOutputStream pax, String key, byte[] value) throws IOException {
    paxRecord(pax, key.getBytes(StandardCharsets.US_ASCII), value);
  }

  /** "LEN KEY=VALUE\n", where LEN counts the whole record including its own digits. */
  private static void paxRecord(ByteArrayOutputStream pax, byte[] key, byte[] value) throws IOException {
    int body = key.length + value.length + 3; // ' ', '=', '\n'
    int digits = Integer.toString(body).length();
    while (Integer.toString(body + digits).length() > digits) {
      digits++;
    }
    pax.write(Integer.toString(body + digits).getBytes(StandardCharsets.US_ASCII));
    pax.write(' ');
    pax.write(key);
    pax.write('=');
    pax.write(value);
    pax.write('\n');
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      emit(zeros, 0, BLOCK - rest);
    }
  }

  private void emit(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    written += len;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  @Override
  public String toString() {
    return "TarWriter[" + written + " bytes" + (remaining > 0 ? ", " + remaining + " to go" : "") + "]";
  }

  /** For messages about a member. */
  static String display(byte[] name) {
    return UnixPath.display(name);
  }
}
