package io.minify.select;

import java.util.Objects;

/**
 * Why one path is kept.
 *
 * @param reason the kind of reason (counted in the report's keptByReason)
 * @param detail which rule or path caused it ("include rule 2: --include-path /etc/ssl",
 *               "needed by /usr/bin/ls"); "" when the reason says it all
 */
public record KeptBecause(KeepReason reason, String detail) {

  public KeptBecause {
    Objects.requireNonNull(reason);
    Objects.requireNonNull(detail);
  }

  public static KeptBecause of(KeepReason reason) {
    return new KeptBecause(reason, "");
  }

  /** "observed", "included (include rule 2: --include-path /etc/ssl)". */
  public String describe() {
    String name = reason.label();
    return detail.isEmpty() ? name : name + " (" + detail + ")";
  }
}
