package io.minify.select;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keep rules whose unit is larger than a file. One code path not probed must not break a
 * route: an app that opened one file of a unit is likely to need the rest of it later (a
 * Node package's lazily required sub-directory, a database's other data files, a server's
 * per-connection plugins). Each can be turned off, and its cost shows in the report.
 */
public enum KeepUnit {
  /**
   * A directory tree owned by a non-root user (the app's own user or a service account), or
   * one the app wrote into during the run, in which the app opened something: kept whole.
   */
  STATE_TREES(KeepReason.STATE_TREE),
  /**
   * What the unit of interpreted code a loaded file belongs to can load, found by reading its
   * code: the Node package, the Python distribution (modules and metadata), the Ruby gem; the
   * whole unit (or directory) where a computed load defeats the reading; the Composer package
   * and the Java web application whole.
   */
  CODE_UNITS(KeepReason.CODE_UNIT),
  /** An interpreter's standard library (Python, Ruby, Perl) when the app imported from it. */
  INTERPRETER_STDLIB(KeepReason.STDLIB),
  /**
   * For every program the app ran, its OS package's shared objects and the files in the
   * directories only that package owns (not docs and man pages): plugins loaded per feature.
   */
  APP_PACKAGE(KeepReason.APP_PACKAGE),
  /** Files no OS package owns, in (and below) a directory the app read a file from. */
  APP_CONTENT(KeepReason.APP_CONTENT),
  /** The entries of a directory the app listed, where they are app content. */
  LISTED_DIRECTORIES(KeepReason.LISTED_DIR),
  /** The whole catalog (time zones, iconv modules, terminfo) the app opened one entry of. */
  DATA_CATALOGS(KeepReason.DATA_CATALOG),
  /** Files and app directories that kept configuration files name (document roots, password files). */
  CONFIG_REFERENCES(KeepReason.CONFIG_REFERENCE),
  /** The programs kept shell scripts may run (entrypoints, CGI scripts), found on the image's PATH. */
  SCRIPT_PROGRAMS(KeepReason.SCRIPT_PROGRAM),
  /** FIFOs, device nodes and links into /dev, /proc, /sys in kept directories. */
  SPECIAL_FILES(KeepReason.SPECIAL_FILE);

  private final KeepReason reason;

  KeepUnit(KeepReason reason) {
    this.reason = reason;
  }

  /** The reason the entries this rule keeps are reported with. */
  public KeepReason reason() {
    return reason;
  }

  /** The name on the command line and in the report: "state-trees", "app-package". */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The unit named {@code label}, if any. */
  public static Optional<KeepUnit> ofLabel(String label) {
    for (KeepUnit unit : values()) {
      if (unit.label().equals(label)) {
        return Optional.of(unit);
      }
    }
    return Optional.empty();
  }

  /** The rules that are on unless turned off. */
  public static Set<KeepUnit> defaults() {
    return EnumSet.allOf(KeepUnit.class);
  }
}
