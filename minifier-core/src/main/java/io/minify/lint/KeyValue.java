package io.minify.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A name and its value as {@code ENV}, {@code ARG} and {@code LABEL} declare them:
 * {@code ENV A=1 B="two words"}, the old {@code ENV NAME value with blanks}, {@code ARG NAME}
 * (no value) and {@code ARG NAME=default}. Quotes are removed as the builder removes them.
 */
public record KeyValue(String key, Optional<String> value) {

  /** The pairs {@code instruction} declares. */
  public static List<KeyValue> parse(Instruction instruction, char escape) {
    List<String> words = words(instruction.arguments(), escape);
    List<KeyValue> pairs = new ArrayList<>();
    if (words.isEmpty()) {
      return pairs;
    }
    if (instruction.is("ENV") && !words.get(0).contains("=")) {
      // the old form: the first word is the name, the rest of the line the value
      String rest = instruction.arguments().strip().substring(instruction.arguments().strip().indexOf(words.get(0))
          + words.get(0).length()).strip();
      pairs.add(new KeyValue(words.get(0), Optional.of(String.join(" ", words(rest, escape)))));
      return pairs;
    }
    for (String word : words) {
      int eq = word.indexOf('=');
      pairs.add(eq < 0 ? new KeyValue(word, Optional.empty())
          : new KeyValue(word.substring(0, eq), Optional.of(word.substring(eq + 1))));
    }
    return pairs;
  }

  /** Blank-separated words, quotes and escapes removed. */
  static List<String> words(String text, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == escape && quote == '"' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (c == escape && i + 1 < text.length()) {
        word.append(text.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
