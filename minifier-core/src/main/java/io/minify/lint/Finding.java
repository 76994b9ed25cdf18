package io.minify.lint;

import java.util.Comparator;

/**
 * One thing a rule found, written in this order in the JSON.
 *
 * @param line   the line of the instruction it is about; 0 when it is about the build context (.dockerignore)
 * @param level  how much it matters
 * @param rule   the rule's id
 * @param reason what is wrong and what it costs
 * @param fix    what to write instead
 */
public record Finding(int line, Level level, String rule, String reason, String fix) {
  /** The order findings are reported in: by line, then rule id, then reason. */
  public static final Comparator<Finding> ORDER = Comparator.comparingInt(Finding::line)
      .thenComparing(Finding::rule).thenComparing(Finding::reason);
}
