package io.minify.lint;

import java.util.List;

/** One item of the checklist. */
public interface LintRule {

  /** A short stable name: what {@code --json} and the table print, e.g. {@code apt-lists-left}. */
  String id();

  /** The level of what it finds. */
  Level level();

  /** What it finds in {@code target}; none when the file follows the practice. */
  List<Finding> check(LintTarget target);

  /** A finding of this rule. */
  default Finding finding(int line, String reason, String fix) {
    return new Finding(line, level(), id(), reason, fix);
  }
}
