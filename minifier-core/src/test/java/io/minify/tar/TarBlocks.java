package io.minify.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tar members written block by block, for what commons-compress will not write (sparse
 * members in every GNU format, raw PAX records), and the checksum repair that lets a fuzzer's
 * byte edits reach past the header checksum.
 */
public final class TarBlocks {
  private static final int BLOCK = 512;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A header of {@code type} with an octal {@code size}; {@code extra} fills bytes from 345 on (GNU sparse fields). */
  public TarBlocks header(String name, char type, long size, byte[] extra) {
    byte[] h = new byte[BLOCK];
    put(h, 0, name.getBytes(StandardCharsets.UTF_8));
    put(h, 100, octal(0644, 8));
    put(h, 108, octal(0, 8));
    put(h, 116, octal(0, 8));
    put(h, 124, octal(size, 12));
    put(h, 136, octal(1_700_000_000L, 12));
    h[156] = (byte) type;
    // old GNU members (sparse 'S') carry GNU's magic, the others POSIX's
    String magic = type == 'S' ? "ustar  \0" : "ustar\00000";
    put(h, 257, magic.getBytes(StandardCharsets.US_ASCII));
    put(h, 345, extra);
    writeChecksum(h, 0);
    out.writeBytes(h);
    return this;
  }

  /** A PAX extended header ('x') holding {@code records} ("key=value" each). */
  public TarBlocks pax(String... records) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String record : records) {
      byte[] kv = record.getBytes(StandardCharsets.UTF_8);
      int length = kv.length + 3;
      while (length != kv.length + 2 + Integer.toString(length).length()) {
        length = kv.length + 2 + Integer.toString(length).length();
      }
      body.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(kv);
      body.write('\n');
    }
    header("PaxHeaders/x", 'x', body.size(), new byte[0]);
    return data(body.toByteArray());
  }

  /** Member data, padded to a block. */
  public TarBlocks data(byte[] bytes) {
    out.writeBytes(bytes);
    out.writeBytes(new byte[(BLOCK - bytes.length % BLOCK) % BLOCK]);
    return this;
  }

  public byte[] end() {
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  /** Octal text of {@code width - 1} digits and a NUL, as tar headers store numbers. */
  public static byte[] octal(long value, int width) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, width - 1 - digits.length())) + digits;
    return (padded + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A copy with the checksum of every block-aligned ustar header recomputed, so a mutated
   * header is read as a header and the mutation is what the parser meets.
   */
  public static byte[] withChecksumsRepaired(byte[] tar) {
    byte[] out = tar.clone();
    for (int at = 0; at + BLOCK <= out.length; at += BLOCK) {
      if (Arrays.equals(out, at + 257, at + 262, "ustar".getBytes(StandardCharsets.US_ASCII), 0, 5)) {
        writeChecksum(out, at);
      }
    }
    return out;
  }

  private static void writeChecksum(byte[] b, int at) {
    Arrays.fill(b, at + 148, at + 156, (byte) ' ');
    long sum = 0;
    for (int i = at; i < at + BLOCK; i++) {
      sum += b[i] & 0xff;
    }
    put(b, at + 148, Arrays.copyOf(octal(sum, 7), 7));
  }

  private static void put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, Math.min(bytes.length, into.length - at));
  }
}
