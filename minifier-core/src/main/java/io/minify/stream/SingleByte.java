package io.minify.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@link InputStream#read()} for streams whose work is all in
 * {@link InputStream#read(byte[], int, int)} (counting, checking, copying what passes): a single
 * byte goes through that same method, so no byte escapes what it does.
 */
public final class SingleByte {

  private SingleByte() {}

  /** The next byte of {@code in} as 0 to 255, or -1 at the end, read as a block of one. */
  public static int read(InputStream in) throws IOException {
    byte[] one = new byte[1];
    return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }
}
