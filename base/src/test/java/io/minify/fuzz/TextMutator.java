package io.minify.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Text edits: the target's own tokens (separators, keywords) spliced in anywhere, characters
 * that parsers treat specially (quotes, escapes, controls, surrogates, non-ASCII), cut and
 * doubled ranges. Doubling makes long and deeply nested inputs from short seeds.
 */
final class TextMutator extends Mutator<String> {
  private static final String SPECIAL =
      "\"'\\`$(){}[]<>|&;:=,/.*?#%~!@ \t\r\n\u0000\u007f\u00e9\u2028\ud800\udc00\ufeff";

  private final List<String> tokens;

  TextMutator(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  @Override
  String edit(String input, String other, SplittableRandom random) {
    int at = input.isEmpty() ? 0 : random.nextInt(input.length() + 1);
    switch (random.nextInt(6)) {
      case 0 -> {
        if (tokens.isEmpty()) {
          return input;
        }
        return input.substring(0, at) + tokens.get(random.nextInt(tokens.size())) + input.substring(at);
      }
      case 1 -> {
        return input.substring(0, at) + SPECIAL.charAt(random.nextInt(SPECIAL.length())) + input.substring(at);
      }
      case 2 -> {
        int end = at + random.nextInt(input.length() - at + 1);
        return input.substring(0, at) + input.substring(end);
      }
      case 3 -> {
        int end = at + random.nextInt(Math.min(256, input.length() - at) + 1);
        String range = input.substring(at, end);
        return input.substring(0, end) + range + range + input.substring(end);
      }
      case 4 -> {
        if (other.isEmpty()) {
          return input;
        }
        int from = random.nextInt(other.length());
        int to = from + random.nextInt(other.length() - from + 1);
        return input.substring(0, at) + other.substring(from, to) + input.substring(at);
      }
      default -> {
        return input.substring(0, at) + (char) random.nextInt(0x80) + input.substring(at);
      }
    }
  }

  @Override
  int length(String input) {
    return input.length();
  }

  @Override
  String cut(String input, int at, int length) {
    return input.substring(0, at) + input.substring(at + length);
  }
}
