package io.minify.select;

import java.util.List;

/**
 * The user's corrections to what dynamic analysis keeps.
 *
 * @param includes             rules that keep paths even when unobserved; rule N (as
 *                             reported) is {@code includes.get(N - 1)}
 * @param excludes             patterns of paths dropped even when observed; an include rule
 *                             and a kept entry's need for its parent directories win over them
 * @param allowMissingIncludes an include rule that finds nothing in the image is a warning,
 *                             not an error
 * @param explain              paths whose keep-or-drop decision the report should explain
 */
public record KeepRules(List<IncludeRule> includes, List<PathGlob> excludes, boolean allowMissingIncludes,
    List<String> explain) {

  public KeepRules {
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    explain = List.copyOf(explain);
  }

  /** Keep what was observed, nothing more or less. */
  public static KeepRules none() {
    return new KeepRules(List.of(), List.of(), false, List.of());
  }
}
