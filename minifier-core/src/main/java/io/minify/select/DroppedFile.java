package io.minify.select;

import io.minify.path.UnixPath;

/**
 * A path a keep unit rule kept for safety that a {@link DropRule} took back out.
 *
 * @param path      the dropped path
 * @param rule      the drop rule
 * @param wouldKeep the reason that kept it before (code_unit, stdlib, app_package, ...)
 */
public record DroppedFile(UnixPath path, DropRule rule, KeepReason wouldKeep) {

  /** "drop rule docs: documentation, which no loader reads (code_unit kept it; --no-drop-docs keeps it)". */
  public String describe() {
    return "drop rule " + rule.label() + ": " + rule.why() + " (" + wouldKeep.label() + " kept it; "
        + rule.option().replaceFirst("--", "--no-") + " keeps it)";
  }
}
