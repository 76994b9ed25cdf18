package io.minify.lint;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How much a finding matters, least first: {@code --fail-on LEVEL} fails on it and those above. */
public enum Level {
  /** A practice worth following that costs nothing today. */
  INFO,
  /** The image is larger, slower to build or less safe than it needs to be. */
  WARNING,
  /** A secret or a mistake that ships. */
  ERROR;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Level other) {
    return compareTo(other) >= 0;
  }

  /** The level a user wrote ({@code info}, {@code warning}, {@code error}), in any case. */
  public static Optional<Level> named(String text) {
    return Arrays.stream(values()).filter(l -> l.label().equalsIgnoreCase(text)).findFirst();
  }
}
