package io.minify.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code --entrypoint} and {@code --cmd} values are a user's text: any text gives its words
 * or a one-line refusal of an unclosed quote, and the words, quoted again, read back the same.
 */
class ShellWordsFuzzTest {

  @Test
  void commandLines() {
    Fuzzer.ofText("ShellWords.split", ShellCommandWordsFuzzTest.SHELL_TOKENS)
        .seeds("python -c \"print(1)\"", "sh -c 'echo \"$HOME\"'", "a\\ b 'c'\\''d' \"e\\\"f\"", "x ''", "")
        .allowing(IllegalArgumentException.class)
        .run(line -> {
          List<String> words = ShellWords.split(line);
          String quoted = words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'")
              .collect(Collectors.joining(" "));
          assertEquals(words, ShellWords.split(quoted));
        });
  }
}
