package io.minify.select;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Keep rules whose unit is larger than a file. One code path not probed must not break a
 * route: an app that opened one file of a unit is likely to need the rest of it later (a
 * Node package's lazily required sub-directory, a database's other data files, a server's
 * per-connection plugins). Each can be turned off, and its cost shows in the report.
 *
 * <p>This enum is the one list of them: each constant names its rule, when the rule runs, whether
 * it needs the image's package database, and what its command-line flag says. The selector and
 * the command line iterate it; a new unit is one constant here and its rule class.
 */
public enum KeepUnit {
  /**
   * A directory tree owned by a non-root user (the app's own user or a service account), or
   * one the app wrote into during the run, in which the app opened something: kept whole.
   */
  STATE_TREES(KeepReason.STATE_TREE, Phase.FROM_USE, false, in -> new StateTreeRule(),
      "Keep whole a directory tree owned by a non-root user, or written by the app, in which the app opened"
          + " something (a database's data directory)."),
  /**
   * What the unit of interpreted code a loaded file belongs to can load, found by reading its
   * code: the Node package, the Python distribution (modules and metadata), the Ruby gem; the
   * whole unit (or directory) where a computed load defeats the reading; the Composer package
   * and the Java web application whole.
   */
  CODE_UNITS(KeepReason.CODE_UNIT, Phase.FROM_USE, false, in -> new CodeUnitRule(in.appRoots()),
      "A loaded file keeps what its code unit can load, found by reading the code: a Node package's entry points"
          + " and what they require, a Python distribution's imported modules with their package data, a Ruby gem's"
          + " lib/NAME.rb and what it requires.",
      "Where a computed load defeats the reading, the whole unit or directory is kept.",
      "Composer packages and Java web applications are kept whole."),
  /**
   * The modules of an interpreter's standard library (Python, Ruby, Perl) that kept code
   * imports or requires, and what those import in turn; not the whole library. A package or
   * subtree that loads modules by computed names is kept whole.
   */
  INTERPRETER_STDLIB(KeepReason.STDLIB, Phase.FROM_USE, false, in -> new StdlibRule(),
      "Keep the modules of the Python, Ruby or Perl standard library that kept code imports or requires anywhere"
          + " in its text (a lazy import in a handler too), and what those modules import in turn, not the whole"
          + " library.",
      "A package or subtree that loads modules by computed names is kept whole (Python's encodings, Ruby's enc/"
          + " and rubygems)."),
  /**
   * For every program the app ran, its OS package's shared objects and the files in the
   * directories only that package owns (not docs and man pages): plugins loaded per feature.
   */
  APP_PACKAGE(KeepReason.APP_PACKAGE, Phase.BY_OWNERSHIP, true, in -> new AppPackageRule(in.entrypointProgram()),
      "For each program the app ran, keep its OS package's shared objects and the files of the directories only"
          + " that package owns (plugins, modules, data; not docs)."),
  /**
   * The app's code roots, and the files no OS package owns in (and below) a directory the app
   * read a file from.
   */
  APP_CONTENT(KeepReason.APP_CONTENT, Phase.BY_OWNERSHIP, true, in -> new AppContentRule(in.appRoots()),
      "Keep the app's code roots whole, and the files no OS package owns in (and below) each directory the app"
          + " read such a file from."),
  /** The entries of a directory the app listed, where they are app content. */
  LISTED_DIRECTORIES(KeepReason.LISTED_DIR, Phase.BY_OWNERSHIP, true, in -> new ListedDirectoryRule(),
      "A directory the app listed keeps its entries that no OS package owns."),
  /** The whole catalog (time zones, iconv modules, terminfo) the app opened one entry of. */
  DATA_CATALOGS(KeepReason.DATA_CATALOG, Phase.FROM_USE, false, in -> new DataCatalogRule(),
      "An opened time zone, iconv module or terminfo entry keeps its whole catalog."),
  /** Files and app directories that kept configuration files name (document roots, password files). */
  CONFIG_REFERENCES(KeepReason.CONFIG_REFERENCE, Phase.FROM_KEPT_FILES, true, in -> new ConfigReferenceRule(),
      "Keep the files, and the app or same-package directories, that kept configuration files name (document"
          + " roots, password files, aliases)."),
  /** The programs kept shell scripts may run (entrypoints, CGI scripts), found on the image's PATH. */
  SCRIPT_PROGRAMS(KeepReason.SCRIPT_PROGRAM, Phase.FROM_KEPT_FILES, false, in -> new ScriptProgramRule(),
      "Keep the programs kept shell scripts may run (their command words, found on the image's PATH)."),
  /** FIFOs, device nodes and links into /dev, /proc, /sys in kept directories. */
  SPECIAL_FILES(KeepReason.SPECIAL_FILE, Phase.AFTER_CLOSURE, false, in -> new SpecialFileRule(),
      "Keep FIFOs, device nodes and links into /dev, /proc, /sys in kept directories.");

  /**
   * When a unit's rule runs: the phases in this order, and within a phase the units in the
   * order of this enum. A rule sees what the rules before it kept, and the first reason a path
   * is offered for is the one it is reported with.
   */
  enum Phase {
    /** Units found from what the app used, by reading code or catalogs: no package database needed. */
    FROM_USE,
    /** Units told apart by which OS package owns what: the app's packages and its own files. */
    BY_OWNERSHIP,
    /** What the files kept so far name: configuration references, programs of shell scripts. */
    FROM_KEPT_FILES,
    /** After the drop rules, link targets, the ELF closure and parent directories: what lies in kept directories. */
    AFTER_CLOSURE
  }

  private final KeepReason reason;
  private final Phase phase;
  private final boolean needsPackageDatabase;
  private final Function<KeepUnitRule.Inputs, KeepUnitRule> rule;
  private final List<String> help;

  KeepUnit(KeepReason reason, Phase phase, boolean needsPackageDatabase,
      Function<KeepUnitRule.Inputs, KeepUnitRule> rule, String... help) {
    this.reason = reason;
    this.phase = phase;
    this.needsPackageDatabase = needsPackageDatabase;
    this.rule = rule;
    this.help = List.of(help);
  }

  /** The reason the entries this rule keeps are reported with. */
  public KeepReason reason() {
    return reason;
  }

  Phase phase() {
    return phase;
  }

  /** Whether the rule tells the app's files from the system's by the image's package database. */
  boolean needsPackageDatabase() {
    return needsPackageDatabase;
  }

  /** This unit's rule, for one selection. */
  KeepUnitRule rule(KeepUnitRule.Inputs inputs) {
    return rule.apply(inputs);
  }

  /** The name on the command line and in the report: "state-trees", "app-package". */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The command-line flag that turns it on or (as {@code --no-keep-...}) off: "--keep-state-trees". */
  public String option() {
    return "--keep-" + label();
  }

  /** What the flag's help says it keeps, one sentence per element. */
  public List<String> help() {
    return help;
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

  /** The units of {@code phases}, in the order their rules run. */
  static List<KeepUnit> inOrder(Set<Phase> phases) {
    List<KeepUnit> ordered = new ArrayList<>();
    for (Phase p : Phase.values()) {
      if (phases.contains(p)) {
        for (KeepUnit unit : values()) {
          if (unit.phase == p) {
            ordered.add(unit);
          }
        }
      }
    }
    return ordered;
  }
}
