package io.minify.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

  private static List<String> split(String line) {
    return ShellWords.split(line);
  }

  @Test
  void blanksSeparateWords() {
    assertEquals(List.of("/server", "--port", "80"), split(" /server \t --port  80 "));
    assertEquals(List.of(), split(""));
    assertEquals(List.of(), split(" \n "));
  }

  @Test
  void quotesKeepAWordTogetherAndAreRemoved() {
    assertEquals(List.of("python", "-c", "print(1)"), split("python -c \"print(1)\""));
    assertEquals(List.of("sh", "-c", "echo \"$HOME\" | wc"), split("sh -c 'echo \"$HOME\" | wc'"));
    assertEquals(List.of("a b", "c"), split("'a b' c"));
    assertEquals(List.of("ab c"), split("a'b c'"), "quotes inside a word");
    assertEquals(List.of("x", ""), split("x ''"), "an empty quoted word is a word");
    assertEquals(List.of("it's"), split("'it'\\''s'"));
  }

  @Test
  void backslashesEscapeAsTheShellHasThem() {
    assertEquals(List.of("a b"), split("a\\ b"));
    assertEquals(List.of("ab"), split("a\\\nb"), "a backslash-newline joins lines");
    assertEquals(List.of("a\\"), split("a\\"), "nothing after it: kept");
    assertEquals(List.of("say \"hi\" $x \\n"), split("\"say \\\"hi\\\" \\$x \\n\""),
        "in double quotes only $ ` \" \\ and newline are escaped");
    assertEquals(List.of("a\\b"), split("'a\\b'"), "single quotes keep backslashes");
  }

  @Test
  void nothingIsExpandedAndNoOperatorIsRead() {
    assertEquals(List.of("echo", "$HOME", "*", "a;b", "|", "~"), split("echo $HOME * a;b | ~"));
  }

  @Test
  void anUnclosedQuoteIsAnErrorNamingTheLine() {
    assertEquals("'python -c \"print(1)': the \" quote at character 11 is not closed",
        assertThrows(IllegalArgumentException.class, () -> split("python -c \"print(1)")).getMessage());
    assertEquals("'echo 'hi': the ' quote at character 6 is not closed",
        assertThrows(IllegalArgumentException.class, () -> split("echo 'hi")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> split("\"a\\\""), "an escaped quote closes nothing");
  }
}
