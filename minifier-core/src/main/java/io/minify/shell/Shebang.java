package io.minify.shell;

import java.util.List;
import java.util.Optional;

/**
 * A script's "#!" line: the interpreter the kernel runs it with and the words after it, split
 * on blanks as written (the kernel passes them as one argument; what they name is what
 * matters here).
 *
 * @param interpreter the first word, empty when the line has none
 * @param arguments   the words after it
 */
public record Shebang(String interpreter, List<String> arguments) {

  public Shebang {
    arguments = List.copyOf(arguments);
  }

  /** Whether a file that starts with {@code head} is a script: it starts with "#!". */
  public static boolean startsScript(byte[] head) {
    return head.length >= 2 && head[0] == '#' && head[1] == '!';
  }

  /**
   * The line at the start of {@code afterMarker} (a file's text after its "#!"); empty when it
   * holds no newline, as a cut or a one-line file does.
   */
  public static Optional<Shebang> parse(String afterMarker) {
    int newline = afterMarker.indexOf('\n');
    if (newline < 0) {
      return Optional.empty();
    }
    String[] words = afterMarker.substring(0, newline).trim().split("\\s+");
    return Optional.of(new Shebang(words[0], List.of(words).subList(1, words.length)));
  }

  /** The interpreter's file name ("env" for "/usr/bin/env"). */
  public String interpreterName() {
    return interpreter.substring(interpreter.lastIndexOf('/') + 1);
  }

  /**
   * What an "env" interpreter runs: the first argument that is not an option, as written
   * ({@code python3} of "#!/usr/bin/env -S python3 -u"); empty when there is none.
   */
  public Optional<String> envCommand() {
    return arguments.stream().filter(a -> !a.startsWith("-")).findFirst();
  }

  /**
   * The program that runs the script: the interpreter's file name, or for "#!/usr/bin/env
   * NAME" the NAME env runs.
   */
  public String program() {
    String name = interpreterName();
    return name.equals("env") ? envCommand().orElse(name) : name;
  }
}
