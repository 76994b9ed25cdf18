package io.minify.sensor.remote;

import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import io.minify.sensor.MonitorOverflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads the stdout of the remote sensor ({@code src/main/c/minify-sensor.c}, run inside the
 * engine when the watched container is not a process of this machine) into the same
 * {@link AccessLog} the host-side {@code FanotifyMonitor} returns.
 *
 * <p>The stream, one record per line, ASCII only:
 * <pre>
 * armed                 the mark is set and the start gate released
 * e FLAGS HEXPATH       the path (its bytes as lowercase hex) gained FLAGS: a non-empty subset of
 *                       "doxw" in this order (d directory opened, o non-directory opened, x
 *                       executed, w closed after writing); "d" stands alone
 * lost REASON           events were lost, the list is incomplete
 * end EVENTS            the sensor stopped after its last drain; EVENTS were read
 * error MESSAGE         the sensor failed (before "armed": nothing was watched)
 * </pre>
 * The sensor prints a path again only when it gains a flag, so the lines of one path are
 * OR-ed. Anything else (an unknown record, a record out of order, a line after {@code end}
 * or {@code error}, a byte that is not printable ASCII) is an {@link IOException} naming the
 * line: the stream is ours from end to end, so a surprise means a broken transport or a
 * sensor of another version, and a guessed file list would make a broken image.
 *
 * <p>Not thread-safe: one reader feeds it (through a {@link LineSplitter}).
 */
public final class SensorOutput {

  /** No line the sensor writes is longer: 2 hex digits per byte of a 4096-byte path, or a cut text. */
  public static final int MAX_LINE_BYTES = 16 * 1024;

  private static final int SHOWN_LINE_CHARS = 160;

  private final String watched;
  private final SortedSet<UnixPath> files = new TreeSet<>();
  private final SortedSet<UnixPath> directories = new TreeSet<>();
  private final SortedSet<UnixPath> executed = new TreeSet<>();
  private final SortedSet<UnixPath> written = new TreeSet<>();
  private boolean armed;
  private boolean ended;
  private long events;
  private String error;
  private String lossReason;

  /** A parser whose messages say what was watched as "the container's root file system". */
  public SensorOutput() {
    this("the container's root file system");
  }

  /**
   * @param watched what the sensor watches, for messages ("the root of container abc123"),
   *     like the mount in {@code FanotifyMonitor}'s
   */
  public SensorOutput(String watched) {
    this.watched = watched;
  }

  /** Takes one line, without its {@code '\n'}. */
  public void accept(byte[] line) throws IOException {
    if (line.length > MAX_LINE_BYTES) {
      throw malformed(line, "longer than " + MAX_LINE_BYTES + " bytes");
    }
    for (byte b : line) {
      if (b < 0x20 || b > 0x7e) {
        throw malformed(line, "not printable ASCII");
      }
    }
    if (ended || error != null) {
      throw malformed(line, "after the sensor's " + (ended ? "end" : "error") + " line");
    }
    String text = new String(line, StandardCharsets.US_ASCII);
    int space = text.indexOf(' ');
    String keyword = space < 0 ? text : text.substring(0, space);
    String rest = space < 0 ? null : text.substring(space + 1);
    switch (keyword) {
      case "armed" -> {
        if (rest != null || armed) {
          throw malformed(line, armed ? "armed twice" : "text after armed");
        }
        armed = true;
      }
      case "error" -> error = requireText(line, rest);
      case "e" -> {
        requireArmed(line);
        event(line, rest);
      }
      case "lost" -> {
        requireArmed(line);
        String reason = requireText(line, rest);
        if (lossReason == null) {
          lossReason = reason;
        }
      }
      case "end" -> {
        requireArmed(line);
        events = count(line, rest);
        ended = true;
      }
      default -> throw malformed(line, "unknown record");
    }
  }

  /** Whether the sensor armed its monitor (and released the start gate). */
  public boolean armed() {
    return armed;
  }

  /** The sensor's failure, from its {@code error} line. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** Whether the sensor's {@code end} line came: the stream is complete. */
  public boolean ended() {
    return ended;
  }

  /**
   * What the watched container opened.
   *
   * @throws MonitorOverflowException when the sensor lost events (worded as
   *     {@code FanotifyMonitor}'s)
   * @throws IOException when the sensor failed ({@code error}) or its output stopped before
   *     {@code end}
   */
  public AccessLog log() throws IOException {
    if (error != null) {
      throw new IOException("the file monitor in the engine failed while watching " + watched + ": " + error);
    }
    if (!ended) {
      throw new IOException("the file monitor in the engine stopped without its end line while watching " + watched
          + (armed ? "" : " (it never armed)") + ": the list of used files is incomplete");
    }
    if (lossReason != null) {
      throw new MonitorOverflowException("file access events were lost while watching " + watched + " ("
          + lossReason + "): the list of used files is incomplete and a slim image built from it could miss"
          + " files; re-run with less load on the machine");
    }
    return new AccessLog(files, directories, executed, written, new TreeSet<>(), events);
  }

  private void event(byte[] line, String rest) throws IOException {
    int space = rest == null ? -1 : rest.indexOf(' ');
    if (space < 0) {
      throw malformed(line, "expected: e FLAGS HEXPATH");
    }
    String flags = rest.substring(0, space);
    UnixPath path = path(line, rest.substring(space + 1));
    if (flags.equals("d")) {
      directories.add(path);
      return;
    }
    // A subsequence of "oxw": each letter once, in this order.
    int at = 0;
    for (char letter : new char[] {'o', 'x', 'w'}) {
      if (at < flags.length() && flags.charAt(at) == letter) {
        at++;
      }
    }
    if (flags.isEmpty() || at != flags.length()) {
      throw malformed(line, "flags must be d, or a non-empty subset of oxw in this order");
    }
    // Executed implies opened (the kernel reports FAN_OPEN_EXEC for an open); a path that
    // gained only x was printed with o before, but the log keeps executed within files anyway.
    if (flags.indexOf('o') >= 0 || flags.indexOf('x') >= 0) {
      files.add(path);
    }
    if (flags.indexOf('x') >= 0) {
      executed.add(path);
    }
    if (flags.indexOf('w') >= 0) {
      written.add(path);
    }
  }

  private static UnixPath path(byte[] line, String hex) throws IOException {
    if (hex.isEmpty() || hex.length() % 2 != 0) {
      throw malformed(line, "the path is not an even number of hex digits");
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      int high = digit(hex.charAt(2 * i));
      int low = digit(hex.charAt(2 * i + 1));
      if (high < 0 || low < 0) {
        throw malformed(line, "the path is not lowercase hex");
      }
      bytes[i] = (byte) (high << 4 | low);
    }
    try {
      return UnixPath.ofBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw malformed(line, e.getMessage());
    }
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  private static long count(byte[] line, String rest) throws IOException {
    if (rest == null || rest.isEmpty() || rest.length() > 19 || !rest.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw malformed(line, "expected: end EVENTS (a decimal count)");
    }
    try {
      return Long.parseLong(rest);
    } catch (NumberFormatException e) {
      throw malformed(line, "the event count is out of range");
    }
  }

  private static String requireText(byte[] line, String rest) throws IOException {
    if (rest == null || rest.isBlank()) {
      throw malformed(line, "the text is missing");
    }
    return rest;
  }

  private void requireArmed(byte[] line) throws IOException {
    if (!armed) {
      throw malformed(line, "before armed");
    }
  }

  /** "malformed line from the file monitor in the engine (WHY): LINE", the line escaped and cut. */
  private static IOException malformed(byte[] line, String why) {
    byte[] shown = line.length > SHOWN_LINE_CHARS ? Arrays.copyOf(line, SHOWN_LINE_CHARS) : line;
    return new IOException("malformed line from the file monitor in the engine (" + why + "): "
        + UnixPath.display(shown) + (shown.length < line.length ? "... (" + line.length + " bytes)" : ""));
  }
}
