package io.minify.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Byte edits that reach binary formats: bit flips, boundary bytes, numbers that are too
 * large in every encoding parsers meet (octal text, base-256, little and big endian), and
 * cut, doubled or spliced ranges.
 */
final class ByteMutator extends Mutator<byte[]> {
  private static final byte[] BOUNDARY_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '0', '7', '9', ' ', '\n', '/',
      '.', '='};
  private static final byte[][] NUMBERS = {
      ascii("77777777777"), ascii("7777777"), ascii("00000000000"), ascii("-1"), ascii("9223372036854775807"),
      ascii("1152921504606846976"), // 2^60
      {(byte) 0x80, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0}, // base-256 2^60
      {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
      {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, {0, 0, 0, (byte) 0x80}, {(byte) 0x80, 0, 0, 0},
      {0, 0, 0, 0, 0, 0, 0, 0x10}, {0x10, 0, 0, 0, 0, 0, 0, 0}};

  @Override
  byte[] edit(byte[] input, byte[] other, SplittableRandom random) {
    if (input.length == 0) {
      return Arrays.copyOf(other, Math.min(other.length, random.nextInt(64)));
    }
    int at = random.nextInt(input.length);
    byte[] out = input.clone();
    switch (random.nextInt(9)) {
      case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[at] = BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)];
      case 2 -> out[at] = (byte) random.nextInt(256);
      case 3 -> {
        byte[] number = NUMBERS[random.nextInt(NUMBERS.length)];
        System.arraycopy(number, 0, out, at, Math.min(number.length, out.length - at));
      }
      case 4 -> {
        return cut(input, at, 1 + random.nextInt(Math.min(512, input.length - at)));
      }
      case 5 -> {
        int length = 1 + random.nextInt(Math.min(512, input.length - at));
        return insert(input, at, Arrays.copyOfRange(input, at, at + length));
      }
      case 6 -> {
        return Arrays.copyOf(input, at); // truncation
      }
      case 7 -> {
        if (other.length > 0) {
          int from = random.nextInt(other.length);
          int length = 1 + random.nextInt(Math.min(1024, other.length - from));
          System.arraycopy(other, from, out, at, Math.min(length, out.length - at));
        }
      }
      default -> {
        byte[] noise = new byte[1 + random.nextInt(16)];
        for (int i = 0; i < noise.length; i++) {
          noise[i] = (byte) random.nextInt(256);
        }
        return insert(input, at, noise);
      }
    }
    return out;
  }

  @Override
  int length(byte[] input) {
    return input.length;
  }

  @Override
  byte[] cut(byte[] input, int at, int length) {
    byte[] out = new byte[input.length - length];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(input, at + length, out, at, input.length - at - length);
    return out;
  }

  private static byte[] insert(byte[] input, int at, byte[] bytes) {
    byte[] out = new byte[input.length + bytes.length];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(input, at, out, at + bytes.length, input.length - at);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
