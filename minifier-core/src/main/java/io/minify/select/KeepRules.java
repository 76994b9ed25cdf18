package io.minify.select;

/** The user's corrections to what dynamic analysis keeps. Empty: keep what was observed. */
public record KeepRules() {

  public static KeepRules none() {
    return new KeepRules();
  }
}
