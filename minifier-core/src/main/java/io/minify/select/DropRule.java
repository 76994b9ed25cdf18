package io.minify.select;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Files no loader reads, taken back out of what a keep unit rule kept for safety. A unit rule
 * keeps a tree because the app may load more of it later; the docs, tests and build inputs in
 * that tree are never loaded by anything, so they only cost bytes. A drop applies only to
 * entries that a unit rule kept wholesale (a whole package, a whole library subtree) and that
 * the app never opened: an observed file, an included one, one a kept file names (a module
 * kept code imports, a path in a configuration file) or an ELF closure member is never dropped.
 * Each can be turned off by its {@code --no-drop-} form; {@link TrimmedFiles} says what each dropped.
 * This enum is the one list of them: the selector and the command line's flags iterate it.
 */
public enum DropRule {
  /**
   * Documentation: {@code share/doc}, {@code doc}/{@code docs}/{@code examples} directories of a
   * code unit, {@code README}, {@code CHANGELOG}, {@code LICENSE}, {@code *.md}, {@code *.rst}.
   */
  DOCS("documentation, which no loader reads",
      "Drop documentation the keep units would keep (share/doc, docs/ and examples/ of packages, README, CHANGELOG,"
          + " LICENSE, *.md, *.rst) unless the app opened it."),
  /** Man and info pages ({@code share/man}, {@code share/info}). */
  MAN_PAGES("a man or info page, which no loader reads",
      "Drop man and info pages (share/man, share/info) the keep units would keep."),
  /**
   * Gettext catalogs ({@code share/locale/LANG/}) of languages the image's environment
   * ({@code LANGUAGE}, {@code LC_ALL}, {@code LC_MESSAGES}, {@code LANG}) does not select.
   */
  LOCALE_CATALOGS("a message catalog of a language the image's environment does not select",
      "Drop message catalogs (share/locale/LANG) of languages the image's LANGUAGE, LC_ALL, LC_MESSAGES or LANG"
          + " does not select."),
  /**
   * Python bytecode caches of modules the run never imported, whose source is kept: the
   * interpreter compiles the source when a route first imports the module; and caches of
   * another interpreter version or optimization level than the one that runs.
   */
  BYTECODE_CACHES("a bytecode cache of a module no run imported, whose source is kept",
      "Drop Python bytecode caches (__pycache__/*.pyc) of modules the run never imported whose source is kept.",
      "The interpreter compiles the source if a route imports one."),
  /**
   * Test suites inside packages: {@code test}, {@code tests}, {@code __tests__}, {@code spec}
   * directories of a code unit or library, {@code *.test.js}, {@code *.spec.js}, {@code *_spec.rb}.
   */
  TEST_SUITES("a package's test suite, which only its test runner loads",
      "Drop test suites inside packages (test/, tests/, __tests__/, spec/, *.test.js, *_spec.rb)."),
  /** C and C++ headers ({@code *.h}, {@code include/}): read by a compiler, not at run time. */
  HEADERS("a C header, read by a compiler, not at run time",
      "Drop C and C++ headers (*.h, usr/include) the keep units would keep."),
  /** Static archives and object files ({@code *.a}, {@code *.o}): read by a linker, not at run time. */
  STATIC_ARCHIVES("a static archive or object file, read by a linker, not at run time",
      "Drop static archives and object files (*.a, *.o) the keep units would keep."),
  /** LLVM bitcode ({@code *.bc}), read only by a JIT library, when no JIT library is kept. */
  LLVM_BITCODE("LLVM bitcode, which only a JIT reads, and no JIT library is kept",
      "Drop LLVM bitcode (*.bc, bitcode/) when no JIT library (PostgreSQL's llvmjit.so, libLLVM) is kept."),
  /**
   * Development files of code units: TypeScript declarations ({@code *.d.ts}), source maps
   * ({@code *.map}, unless {@code NODE_OPTIONS} enables them), C sources, gettext sources
   * ({@code *.po}, {@code *.pot}: msgfmt compiles them into the {@code .mo} catalogs gettext
   * reads), and tool configuration dotfiles ({@code .eslintrc}, {@code .github/}).
   */
  DEV_FILES("a development file (type declarations, source map, tool configuration) no runtime loads",
      "Drop development files of packages: TypeScript declarations (*.d.ts), source maps (*.js.map, unless"
          + " NODE_OPTIONS enables them), C sources, gettext sources (*.po), and tool dotfiles such as .eslintrc and"
          + " .github/.");

  private final String why;
  private final List<String> help;

  DropRule(String why, String... help) {
    this.why = why;
    this.help = List.of(help);
  }

  /** Why no loader reads what this rule drops, for the report and --explain. */
  public String why() {
    return why;
  }

  /** The name on the command line and in the report: "docs", "bytecode-caches". */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The command-line flag that turns it on or (as {@code --no-drop-...}) off: "--drop-docs". */
  public String option() {
    return "--drop-" + label();
  }

  /** What the flag's help says it drops, one sentence per element. */
  public List<String> help() {
    return help;
  }

  public static Optional<DropRule> ofLabel(String label) {
    for (DropRule rule : values()) {
      if (rule.label().equals(label)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  /** The rules that are on unless turned off. */
  public static Set<DropRule> defaults() {
    return EnumSet.allOf(DropRule.class);
  }
}
