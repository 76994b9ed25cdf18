package io.minify.lint;

import java.util.List;
import java.util.Map;

/**
 * One simple command of a {@code RUN} script, after the words that only set up how it runs:
 * variable assignments in front of it, {@code sudo}, {@code env}, {@code exec} and the shell's
 * keywords ({@code if}, {@code then}, {@code do}, ...).
 *
 * @param words       the program and its arguments, quotes removed
 * @param assignments the {@code NAME=value} words before it ({@code DEBIAN_FRONTEND=noninteractive})
 */
public record ShellCommand(List<String> words, Map<String, String> assignments) {

  public ShellCommand {
    words = List.copyOf(words);
    assignments = Map.copyOf(assignments);
  }

  /** The program's file name: {@code /usr/bin/pip3} is {@code pip3}; "" for no program. */
  public String program() {
    if (words.isEmpty()) {
      return "";
    }
    String first = words.get(0);
    return first.substring(first.lastIndexOf('/') + 1);
  }

  /** The words after the program. */
  public List<String> arguments() {
    return words.isEmpty() ? List.of() : words.subList(1, words.size());
  }

  /** The first argument that is not an option: {@code apt-get -y install x} gives {@code install}. */
  public String subcommand() {
    return arguments().stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
  }

  public boolean hasArgument(String word) {
    return arguments().contains(word);
  }

  /** Whether an argument starts with {@code prefix} ({@code --no-cache-dir}, {@code /var/lib/apt/lists}). */
  public boolean hasArgumentStarting(String prefix) {
    return arguments().stream().anyMatch(w -> w.startsWith(prefix));
  }
}
