package io.minify.run;

import java.util.List;

/**
 * A command for {@code --host-exec}: the user's own test suite or script, run on this host
 * (not in the container) through {@code /bin/sh -c} while the app is watched, and again
 * against the slim image's container in verification.
 *
 * @param text the command as the user wrote it: the shell's script and the report's name
 */
public record HostExecCommand(String text) {

  /** The shell a command runs through, so pipes, {@code &&} and {@code cd} work as typed. */
  public static final String SHELL = "/bin/sh";

  public HostExecCommand {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  /** @throws IllegalArgumentException one line naming the bad part */
  public static HostExecCommand parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    if (t.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("'" + t.replace('\0', '?') + "' holds a NUL byte, which no command can");
    }
    return new HostExecCommand(t);
  }

  /** What is executed: the shell with the command as its script. */
  public List<String> argv() {
    return List.of(SHELL, "-c", text);
  }

  /** "HOST-EXEC pytest tests/api": the name of its probe in the report and in messages. */
  public String describe() {
    return "HOST-EXEC " + text;
  }
}
