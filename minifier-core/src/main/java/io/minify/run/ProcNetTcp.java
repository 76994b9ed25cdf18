package io.minify.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets in a {@code /proc/PID/net/tcp} or {@code net/tcp6} table: what the
 * network namespace of that process listens on. Used to tell an app that listens only on a
 * loopback address inside its container, which no published port reaches, from one that is
 * slow or broken.
 *
 * <p>A row is {@code "  0: 0100007F:1F90 00000000:0000 0A ..."}: the local address and port,
 * the remote ones, the state ({@code 0A} is LISTEN). The port is hexadecimal as a number
 * (1F90 is 8080); the address is the kernel's 32-bit words printed as numbers in the host's
 * byte order, so on a little-endian machine {@code 0100007F} is 127.0.0.1, and an IPv6
 * address is four such words. The table is the kernel's ASCII, decoded as such; a row that
 * does not have this form is skipped, never an error.
 */
public final class ProcNetTcp {

  private static final String LISTEN = "0A";

  private ProcNetTcp() {}

  /**
   * One listening socket.
   *
   * @param address the local address it listens on (0.0.0.0 or :: for every address)
   * @param port    its port
   */
  public record Listener(InetAddress address, int port) {

    /**
     * Whether only the container itself can reach it: 127.0.0.0/8 or ::1 (a v4-mapped
     * ::ffff:127.0.0.1 of tcp6 is read as 127.0.0.1).
     */
    public boolean loopback() {
      return address.isLoopbackAddress();
    }

    /** The address as the user writes it: 127.0.0.1, ::1. */
    public String host() {
      String text = address.getHostAddress();
      return text.equals("0:0:0:0:0:0:0:1") ? "::1" : text;
    }
  }

  /**
   * The LISTEN rows of a table.
   *
   * @param table the text of net/tcp or net/tcp6
   * @param order the byte order of the kernel that wrote it (this machine's:
   *              {@link ByteOrder#nativeOrder()})
   */
  public static List<Listener> listening(String table, ByteOrder order) {
    List<Listener> out = new ArrayList<>();
    for (String line : table.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      // sl, local_address, rem_address, st, ...; the header row's st is not 0A
      if (fields.length < 4 || !fields[0].endsWith(":") || !fields[3].equalsIgnoreCase(LISTEN)) {
        continue;
      }
      Listener listener = parseLocal(fields[1], order);
      if (listener != null) {
        out.add(listener);
      }
    }
    return List.copyOf(out);
  }

  /** {@code ADDRESS:PORT} in hex, or null when it is not that. */
  private static Listener parseLocal(String local, ByteOrder order) {
    int colon = local.indexOf(':');
    if (colon < 0 || local.length() - colon - 1 != 4) {
      return null;
    }
    String hex = local.substring(0, colon);
    if (hex.length() != 8 && hex.length() != 32 || !isHex(hex) || !isHex(local.substring(colon + 1))) {
      return null;
    }
    byte[] address = new byte[hex.length() / 2];
    for (int word = 0; word < hex.length() / 8; word++) {
      int value = Integer.parseUnsignedInt(hex.substring(word * 8, word * 8 + 8), 16);
      if (order == ByteOrder.LITTLE_ENDIAN) {
        value = Integer.reverseBytes(value);
      }
      for (int i = 0; i < 4; i++) {
        address[word * 4 + i] = (byte) (value >>> (24 - 8 * i));
      }
    }
    try {
      return new Listener(InetAddress.getByAddress(address), Integer.parseInt(local.substring(colon + 1), 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 'f' || Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
