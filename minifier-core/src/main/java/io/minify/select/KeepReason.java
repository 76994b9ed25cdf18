package io.minify.select;

/**
 * The kind of reason a path is in the slim image ({@link KeptBecause} adds which rule or
 * path). The first reason found for a path is the one reported.
 */
public enum KeepReason {
  /** The app opened or executed it. */
  OBSERVED,
  /** The ENTRYPOINT/CMD program, found on the image PATH like the engine finds it. */
  ENTRYPOINT,
  /**
   * What a kept program needs to start: its shared libraries and ELF interpreter, or the
   * interpreter its "#!" line names (with {@code env NAME}'s NAME), followed to their own needs.
   */
  ELF_NEEDED,
  /**
   * The source file of a kept Python bytecode cache: the import system only stat()s the
   * source (which the monitor cannot see) but refuses a cached .pyc whose source is gone.
   */
  BYTECODE_SOURCE,
  /** User and group databases, needed to run as the image's USER. */
  USER_DB,
  /** Content of a declared VOLUME, which the engine copies into a fresh volume. */
  VOLUME,
  /** A directory whose owner or mode differs from root:root 0755 (state, spool, tmp dirs). */
  SPECIAL_DIR,
  /** A symlink that resolves to a kept path (the kernel reports paths already resolved). */
  SYMLINK_TO_KEPT,
  /** A directory on the path of a kept entry. */
  PARENT_DIR,
  /** An include rule (--include-path, --include-bin, --include-exe, --include-shell, ...). */
  INCLUDED,
  /** A --preserve-path tree, kept as it is in the image. */
  PRESERVED,
  /** In a state tree: owned by a service user or written by the app, and used by it ({@link KeepUnit#STATE_TREES}). */
  STATE_TREE,
  /** Part of an interpreted code unit the app loaded from: a Node package, a Python package, ... */
  CODE_UNIT,
  /** Part of an interpreter's standard library the app imported from. */
  STDLIB,
  /** A plugin, shared object or data file of the OS package of a program the app ran. */
  APP_PACKAGE,
  /** A file no OS package owns, in a directory the app read from. */
  APP_CONTENT,
  /** An entry of a directory the app listed. */
  LISTED_DIR,
  /** A FIFO, device node or link into /dev in a kept directory (the kernel reports no opens of those). */
  SPECIAL_FILE,
  /** Part of a data catalog the app opened one entry of (time zones, iconv modules, terminfo). */
  DATA_CATALOG,
  /** A path a kept configuration file names. */
  CONFIG_REFERENCE,
  /** A program a kept shell script may run. */
  SCRIPT_PROGRAM,
  /** A program an --exec command names (and may run only when the app is slow), with its closure. */
  EXEC_PROGRAM,
  /**
   * What a kept symlink points to, which would dangle without it: a framework that resolves
   * the real path of every file of a directory it serves (Mojolicious's bundled assets link
   * into /usr/share/javascript) fails on a dangling link even if it never opens the file.
   */
  LINK_TARGET;

  /** The name used in the report: "observed", "elf_needed". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
