package io.minify.run;

import java.time.Duration;
import java.util.Locale;

/**
 * When the probe stage ends and the container is stopped ({@code --continue-after}):
 * <ul>
 *   <li>{@code probe}: when the probes are done (the default)</li>
 *   <li>{@code exec}: when the {@code --exec} commands are done</li>
 *   <li>{@code host-exec}: when the {@code --host-exec} commands are done</li>
 *   <li>{@code timeout:N}: N seconds after the probes and commands are done</li>
 *   <li>{@code signal}: when the minify process gets SIGUSR1</li>
 *   <li>{@code enter}: when Enter is pressed in minify's terminal</li>
 * </ul>
 * Whatever the mode, the stage also ends when the app exits on its own.
 */
public record ContinueAfter(Mode mode, Duration timeout) {

  /**
   * Every probe runs to its end, one after the other, before the wait: {@code probe},
   * {@code exec} and {@code host-exec} all end the stage once the last probe is done, and the
   * latter two only make sure there is a command of their kind (the name says what the user
   * waits for).
   */
  public enum Mode { PROBE, EXEC, HOST_EXEC, TIMEOUT, SIGNAL, ENTER }

  public static final ContinueAfter PROBE = new ContinueAfter(Mode.PROBE, Duration.ZERO);

  /** @throws IllegalArgumentException one line naming the bad part */
  public static ContinueAfter parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("timeout:")) {
      String n = t.substring("timeout:".length());
      try {
        long seconds = Long.parseLong(n);
        if (seconds > 0 && seconds <= 86_400) {
          return new ContinueAfter(Mode.TIMEOUT, Duration.ofSeconds(seconds));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("'" + text + "': timeout needs whole seconds from 1 to 86400, e.g. timeout:30");
    }
    return switch (t) {
      case "probe" -> PROBE;
      case "exec" -> new ContinueAfter(Mode.EXEC, Duration.ZERO);
      case "host-exec" -> new ContinueAfter(Mode.HOST_EXEC, Duration.ZERO);
      case "signal" -> new ContinueAfter(Mode.SIGNAL, Duration.ZERO);
      case "enter" -> new ContinueAfter(Mode.ENTER, Duration.ZERO);
      default -> throw new IllegalArgumentException("unknown mode '" + text
          + "' (use probe, exec, host-exec, timeout:N, signal or enter)");
    };
  }

  /** Whether the app is only watched, not driven, until something outside minify says so. */
  public boolean waitsBeyondProbes() {
    return mode == Mode.TIMEOUT || mode == Mode.SIGNAL || mode == Mode.ENTER;
  }

  @Override
  public String toString() {
    return mode == Mode.TIMEOUT ? "timeout:" + timeout.toSeconds()
        : mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
