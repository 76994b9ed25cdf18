package io.minify.probe.tcp;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A probe for a non-HTTP app: connect to a container port, optionally send bytes and expect
 * bytes in the answer.
 *
 * @param containerPort the exposed port
 * @param send          bytes written after connecting; empty for none
 * @param expect        bytes the answer must contain; empty to only check the connection
 */
public record TcpProbe(int containerPort, byte[] send, byte[] expect) {

  private static final Pattern ESCAPE = Pattern.compile("\\\\(x[0-9a-fA-F]{2}|.)");

  public TcpProbe {
    send = send.clone();
    expect = expect.clone();
  }

  @Override
  public byte[] send() {
    return send.clone();
  }

  @Override
  public byte[] expect() {
    return expect.clone();
  }

  /**
   * Parses {@code --tcp-probe PORT[:SEND[:EXPECT]]}, e.g. {@code 6379:PING\r\n:+PONG}.
   * SEND cannot hold ':' (use \x3a); EXPECT is the rest of the text. Escapes: \r \n \t \\ \xHH.
   *
   * @throws IllegalArgumentException one line naming the bad part
   */
  public static TcpProbe parse(String text) {
    String[] parts = text.split(":", 3);
    int port;
    try {
      port = Integer.parseInt(parts[0].strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + parts[0] + "' in '" + text + "' is not a port (expected PORT[:SEND[:EXPECT]])");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " in '" + text + "' is out of range (1-65535)");
    }
    byte[] send = parts.length > 1 ? unescape(parts[1], text) : new byte[0];
    byte[] expect = parts.length > 2 ? unescape(parts[2], text) : new byte[0];
    return new TcpProbe(port, send, expect);
  }

  /** A short name such as {@code TCP :6379 "PING\r\n" -> "+PONG"}. */
  public String describe() {
    StringBuilder s = new StringBuilder("TCP :").append(containerPort);
    if (send.length > 0) {
      s.append(" send \"").append(printable(send)).append('"');
    }
    if (expect.length > 0) {
      s.append(" expect \"").append(printable(expect)).append('"');
    }
    return s.toString();
  }

  public static String printable(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      switch (b) {
        case '\r' -> s.append("\\r");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '\\' -> s.append("\\\\");
        default -> s.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
      }
    }
    return s.toString();
  }

  private static byte[] unescape(String s, String whole) {
    Matcher m = ESCAPE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String rep = switch (e.charAt(0)) {
        case 'r' -> "\r";
        case 'n' -> "\n";
        case 't' -> "\t";
        case '\\' -> "\\";
        case 'x' -> e.length() == 3 ? String.valueOf((char) Integer.parseInt(e.substring(1), 16)) : null;
        default -> null;
      };
      if (rep == null) {
        throw new IllegalArgumentException("unknown escape '\\" + e + "' in '" + whole + "' (use \\r \\n \\t \\\\ \\xHH)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(rep));
    }
    m.appendTail(out);
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
