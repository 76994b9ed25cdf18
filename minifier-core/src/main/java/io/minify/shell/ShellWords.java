package io.minify.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a command line as a POSIX shell splits them: blanks outside quotes separate
 * them, and quotes and backslashes are removed as the shell removes them, so
 * {@code python -c "print(1)"} is the three words {@code python}, {@code -c} and
 * {@code print(1)}. Nothing is expanded and no operator is read: the words are a command
 * no shell runs (as a Dockerfile's JSON array is), so {@code $HOME}, {@code *} and {@code ;}
 * stay as written. {@link ShellCommandWords} reads the same quoting in a script a shell runs.
 */
public final class ShellWords {

  /** What separates words outside quotes: the ASCII blanks and line ends. */
  private static final String BLANKS = " \t\n\013\f\r";
  /** The characters a backslash escapes inside double quotes; before any other it stays. */
  private static final String ESCAPED_IN_DOUBLE_QUOTES = "$`\"\\\n";

  private ShellWords() {}

  /**
   * The words of {@code line}; none for a blank line.
   *
   * @throws IllegalArgumentException naming the line, when a quote is not closed
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false; // "" is a word too: quotes start one
    int pos = 0;
    while (pos < line.length()) {
      char c = line.charAt(pos);
      if (BLANKS.indexOf(c) >= 0) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        pos++;
      } else if (c == '\\') {
        if (pos + 1 == line.length()) {
          word.append(c); // nothing to escape: the shell keeps it too
          inWord = true;
        } else if (line.charAt(pos + 1) != '\n') { // backslash-newline joins lines
          word.append(line.charAt(pos + 1));
          inWord = true;
        }
        pos += 2;
      } else if (c == '\'') {
        int end = closing(line, pos, '\'');
        word.append(line, pos + 1, end);
        inWord = true;
        pos = end + 1;
      } else if (c == '"') {
        int end = closing(line, pos, '"');
        for (int i = pos + 1; i < end; i++) {
          char d = line.charAt(i);
          if (d == '\\' && ESCAPED_IN_DOUBLE_QUOTES.indexOf(line.charAt(i + 1)) >= 0) {
            i++;
            if (line.charAt(i) != '\n') {
              word.append(line.charAt(i));
            }
          } else {
            word.append(d);
          }
        }
        inWord = true;
        pos = end + 1;
      } else {
        word.append(c);
        inWord = true;
        pos++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  /** Where the quote opened at {@code open} closes (in double quotes, \" does not). */
  private static int closing(String line, int open, char quote) {
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == quote) {
        return i;
      }
      if (quote == '"' && c == '\\') {
        i++;
      }
    }
    throw new IllegalArgumentException("'" + line + "': the " + quote + " quote at character " + (open + 1)
        + " is not closed");
  }
}
