package io.minify.run;

/**
 * How the temporary containers (the watched original and the verified slim one) are run,
 * beyond what the image itself says. Empty: exactly as {@code docker run IMAGE}.
 */
public record RunSettings() {

  public static RunSettings defaults() {
    return new RunSettings();
  }
}
