package io.minify.lint;

import java.util.List;

/** The sources of a {@code COPY} or {@code ADD}: every argument but the last (heredoc markers included). */
final class CopySources {
  private CopySources() {}

  static List<String> of(Instruction copy, char escape) {
    List<String> words = copy.execForm().orElseGet(() -> KeyValue.words(copy.arguments(), escape));
    return words.size() < 2 ? List.of() : words.subList(0, words.size() - 1);
  }

  /** Whether {@code source} is the whole build context: {@code .}, {@code ./}, {@code *}. */
  static boolean wholeContext(String source) {
    return List.of(".", "./", "*", "./*", "./.").contains(source);
  }
}
