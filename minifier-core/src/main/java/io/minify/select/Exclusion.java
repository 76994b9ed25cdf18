package io.minify.select;

import io.minify.path.UnixPath;

/**
 * A path some reason would have kept but an {@code --exclude-pattern} dropped.
 *
 * @param path          the dropped path
 * @param patternNumber 1-based position of the pattern among the exclude patterns
 * @param glob          the pattern
 * @param wouldKeep     the reason that would have kept it (usually OBSERVED)
 */
public record Exclusion(UnixPath path, int patternNumber, String glob, KeepReason wouldKeep) {

  /** "matched --exclude-pattern 1 (/usr/share/zoneinfo/**), although it was observed". */
  public String describe() {
    return "matched --exclude-pattern " + patternNumber + " (" + glob + "), although it was " + wouldKeep.label();
  }
}
