package io.minify.select;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
 * @param units                the keep rules larger than a file that are on
 * @param drops                the rules that take what no loader reads back out of what the
 *                             units keep for safety
 */
public record KeepRules(List<IncludeRule> includes, List<PathGlob> excludes, boolean allowMissingIncludes,
    List<String> explain, Set<KeepUnit> units, Set<DropRule> drops) {

  public KeepRules {
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    explain = List.copyOf(explain);
    units = units.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(KeepUnit.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(units));
    drops = drops.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(DropRule.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(drops));
  }

  /** Rules with these keep units and no drop rules. */
  public KeepRules(List<IncludeRule> includes, List<PathGlob> excludes, boolean allowMissingIncludes,
      List<String> explain, Set<KeepUnit> units) {
    this(includes, excludes, allowMissingIncludes, explain, units, Set.of());
  }

  /** Rules without keep units: what the app was seen using and what the rules name. */
  public KeepRules(List<IncludeRule> includes, List<PathGlob> excludes, boolean allowMissingIncludes,
      List<String> explain) {
    this(includes, excludes, allowMissingIncludes, explain, Set.of(), Set.of());
  }

  /** Keep what was observed, nothing more or less. */
  public static KeepRules none() {
    return new KeepRules(List.of(), List.of(), false, List.of(), Set.of(), Set.of());
  }

  /** The same rules with these keep units on. */
  public KeepRules withUnits(Set<KeepUnit> enabled) {
    return new KeepRules(includes, excludes, allowMissingIncludes, explain, enabled, drops);
  }

  /** The same rules with these drop rules on. */
  public KeepRules withDrops(Set<DropRule> enabled) {
    return new KeepRules(includes, excludes, allowMissingIncludes, explain, units, enabled);
  }

  /** The same rules with these include rules instead. */
  public KeepRules withIncludes(List<IncludeRule> rules) {
    return new KeepRules(rules, excludes, allowMissingIncludes, explain, units, drops);
  }
}
