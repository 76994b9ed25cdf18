package io.minify.cli;

import io.minify.pipeline.BuildOptions;
import io.minify.report.BuildReport;
import io.minify.select.DropRule;
import io.minify.select.IncludeRule;
import io.minify.select.KeepRules;
import io.minify.select.KeepUnit;
import io.minify.select.PathGlob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What is kept besides what the app was seen using, and what is dropped although it was.
 * Include rules are numbered in the order of this class's options (then the order given),
 * and the report names each kept path's rule by that number.
 */
final class KeepOptions {

  @Option(names = "--include-path", paramLabel = "PATH",
      description = "Keep this file, or this directory with everything below it, repeatable.")
  List<String> includePaths = new ArrayList<>();

  @Option(names = "--include-path-file", paramLabel = "FILE",
      description = "Keep every path listed in FILE (one per line; blank lines and # comments skipped), repeatable.")
  List<Path> includePathFiles = new ArrayList<>();

  @Option(names = "--preserve-path", paramLabel = "PATH",
      description = "Keep this file or tree exactly as it is in the image, even unobserved, repeatable.")
  List<String> preservePaths = new ArrayList<>();

  @Option(names = "--include-bin", paramLabel = "PATH",
      description = "Keep this executable with its ELF loader and shared libraries, repeatable.")
  List<String> includeBins = new ArrayList<>();

  @Option(names = "--include-exe", paramLabel = "NAME",
      description = "Keep the program NAME found on the image's PATH, with its shared libraries, repeatable.")
  List<String> includeExes = new ArrayList<>();

  @Option(names = "--include-shell", description = "Keep the image's /bin/sh with what it needs.")
  boolean includeShell;

  @Option(names = "--include-certs", description = "Keep the CA certificate bundles and directories the image has.")
  boolean includeCerts;

  @Option(names = "--include-zoneinfo",
      description = "Keep time zone data (/usr/share/zoneinfo, /etc/localtime, /etc/timezone).")
  boolean includeZoneinfo;

  @Option(names = "--include-workdir", description = "Keep the image's WORKDIR with everything below it.")
  boolean includeWorkdir;

  @Option(names = "--exclude-pattern", paramLabel = "GLOB",
      description = "Drop paths matching GLOB (* ? [..] {a,b}, ** across directories) even when observed;"
          + " include rules and parent directories of kept entries still win. Repeatable.")
  List<String> excludePatterns = new ArrayList<>();

  @Option(names = "--allow-missing-includes",
      description = "An include that finds nothing in the image is a warning instead of an error.")
  boolean allowMissingIncludes;

  @Option(names = "--explain", paramLabel = "PATH",
      description = "After the build, say why PATH was kept or dropped (also in the report), repeatable.")
  List<String> explainPaths = new ArrayList<>();

  // Keep units: rules larger than a file, each on by default and turned off by its --no- form.
  @Option(names = "--keep-state-trees", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep whole a directory tree owned by a non-root user, or written by the app, in which the app"
          + " opened something (a database's data directory). Default: on.")
  boolean keepStateTrees = true;

  @Option(names = "--keep-code-units", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "A loaded file keeps what its code unit can load, found by reading the code: a Node package's"
          + " entry points and what they require, a Python distribution's imported modules with their package data,"
          + " a Ruby gem's lib/NAME.rb and what it requires; the whole unit, or directory, where a computed load"
          + " defeats the reading. Composer packages and Java web applications are kept whole. Default: on.")
  boolean keepCodeUnits = true;

  @Option(names = "--keep-interpreter-stdlib", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep the modules of the Python, Ruby or Perl standard library that kept code imports or"
          + " requires, transitively (lazy imports in handlers too), and the subtrees loaded by computed names."
          + " Default: on.")
  boolean keepInterpreterStdlib = true;

  @Option(names = "--keep-app-package", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "For each program the app ran, keep its OS package's shared objects and the files of the"
          + " directories only that package owns (plugins, modules, data; not docs). Default: on.")
  boolean keepAppPackage = true;

  @Option(names = "--keep-app-content", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep the files no OS package owns in (and below) each directory the app read such a file"
          + " from. Default: on.")
  boolean keepAppContent = true;

  @Option(names = "--keep-listed-directories", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "A directory the app listed keeps its entries that no OS package owns. Default: on.")
  boolean keepListedDirectories = true;

  @Option(names = "--keep-data-catalogs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "An opened time zone, iconv module or terminfo entry keeps its whole catalog. Default: on.")
  boolean keepDataCatalogs = true;

  @Option(names = "--keep-config-references", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep the files, and the app or same-package directories, that kept configuration files name"
          + " (document roots, password files, aliases). Default: on.")
  boolean keepConfigReferences = true;

  @Option(names = "--keep-script-programs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep the programs kept shell scripts may run (their command words, found on the image's PATH)."
          + " Default: on.")
  boolean keepScriptPrograms = true;

  @Option(names = "--keep-special-files", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep FIFOs, device nodes and links into /dev, /proc, /sys in kept directories. Default: on.")
  boolean keepSpecialFiles = true;

  @Option(names = "--keep-package-db", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Ship the image's dpkg or apk database trimmed to the packages with kept files, listing only"
          + " kept files, so scanners report exactly what the slim image holds. Default: on.")
  boolean keepPackageDb = true;

  @Option(names = "--strip-elf", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Write kept ELF programs and shared objects without their debug information (.debug_*,"
          + " .zdebug_*) and static symbol table (.symtab, .strtab), which nothing reads at run time; what the"
          + " loader maps (.dynsym, .dynstr, notes, Go's .gopclntab) stays. Files where that is not a plain cut"
          + " at the end are copied as they are. Crash backtraces and debuggers in the slim image then show"
          + " fewer names. The report's strippedElf says how many files and bytes. Default: on.")
  boolean stripElf = true;

  // Drop rules: what no loader reads, taken out of what the keep units keep for safety; each
  // on by default and turned off by its --no- form.
  @Option(names = "--drop-docs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop documentation the keep units would keep (share/doc, docs/ and examples/ of packages,"
          + " README, CHANGELOG, LICENSE, *.md, *.rst) unless the app opened it. Default: on.")
  boolean dropDocs = true;

  @Option(names = "--drop-man-pages", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop man and info pages (share/man, share/info) the keep units would keep. Default: on.")
  boolean dropManPages = true;

  @Option(names = "--drop-locale-catalogs", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop message catalogs (share/locale/LANG) of languages the image's LANGUAGE, LC_ALL,"
          + " LC_MESSAGES or LANG does not select. Default: on.")
  boolean dropLocaleCatalogs = true;

  @Option(names = "--drop-bytecode-caches", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop Python bytecode caches (__pycache__/*.pyc) of modules the run never imported whose source"
          + " is kept: the interpreter compiles the source if a route imports one. Default: on.")
  boolean dropBytecodeCaches = true;

  @Option(names = "--drop-test-suites", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop test suites inside packages (test/, tests/, __tests__/, spec/, *.test.js, *_spec.rb)."
          + " Default: on.")
  boolean dropTestSuites = true;

  @Option(names = "--drop-headers", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop C and C++ headers (*.h, usr/include) the keep units would keep. Default: on.")
  boolean dropHeaders = true;

  @Option(names = "--drop-static-archives", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop static archives and object files (*.a, *.o) the keep units would keep. Default: on.")
  boolean dropStaticArchives = true;

  @Option(names = "--drop-llvm-bitcode", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop LLVM bitcode (*.bc, bitcode/) when no JIT library (PostgreSQL's llvmjit.so, libLLVM) is"
          + " kept. Default: on.")
  boolean dropLlvmBitcode = true;

  @Option(names = "--drop-dev-files", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Drop development files of packages: TypeScript declarations (*.d.ts), source maps (*.js.map,"
          + " unless NODE_OPTIONS enables them), C sources, gettext sources (*.po), tool dotfiles (.eslintrc, .github/). Default: on.")
  boolean dropDevFiles = true;

  /** The drop rules left on, in the order of {@link DropRule}. */
  private Set<DropRule> drops() {
    Map<DropRule, Boolean> on = new EnumMap<>(DropRule.class);
    on.put(DropRule.DOCS, dropDocs);
    on.put(DropRule.MAN_PAGES, dropManPages);
    on.put(DropRule.LOCALE_CATALOGS, dropLocaleCatalogs);
    on.put(DropRule.BYTECODE_CACHES, dropBytecodeCaches);
    on.put(DropRule.TEST_SUITES, dropTestSuites);
    on.put(DropRule.HEADERS, dropHeaders);
    on.put(DropRule.STATIC_ARCHIVES, dropStaticArchives);
    on.put(DropRule.LLVM_BITCODE, dropLlvmBitcode);
    on.put(DropRule.DEV_FILES, dropDevFiles);
    Set<DropRule> drops = EnumSet.noneOf(DropRule.class);
    on.forEach((rule, enabled) -> {
      if (enabled) {
        drops.add(rule);
      }
    });
    return drops;
  }

  /** The keep units left on, in the order of {@link KeepUnit}. */
  private Set<KeepUnit> units() {
    Map<KeepUnit, Boolean> on = new EnumMap<>(KeepUnit.class);
    on.put(KeepUnit.STATE_TREES, keepStateTrees);
    on.put(KeepUnit.CODE_UNITS, keepCodeUnits);
    on.put(KeepUnit.INTERPRETER_STDLIB, keepInterpreterStdlib);
    on.put(KeepUnit.APP_PACKAGE, keepAppPackage);
    on.put(KeepUnit.APP_CONTENT, keepAppContent);
    on.put(KeepUnit.LISTED_DIRECTORIES, keepListedDirectories);
    on.put(KeepUnit.DATA_CATALOGS, keepDataCatalogs);
    on.put(KeepUnit.CONFIG_REFERENCES, keepConfigReferences);
    on.put(KeepUnit.SCRIPT_PROGRAMS, keepScriptPrograms);
    on.put(KeepUnit.SPECIAL_FILES, keepSpecialFiles);
    Set<KeepUnit> units = EnumSet.noneOf(KeepUnit.class);
    on.forEach((unit, enabled) -> {
      if (enabled) {
        units.add(unit);
      }
    });
    return units;
  }

  /** Checks everything that can be checked without the image: paths, names, globs, list files. */
  void validate(CommandLine line) {
    try {
      rules();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, e.getMessage());
    }
  }

  BuildOptions.Builder applyTo(BuildOptions.Builder options) {
    return options.keep(rules()).keepPackageDb(keepPackageDb).stripElf(stripElf);
  }

  /** Prints the --explain answers after the summary table. */
  void printExplanations(BuildReport report, PrintWriter out) {
    if (report.explained().isEmpty()) {
      return;
    }
    out.println();
    report.explained().forEach(x -> out.println("explain " + x.path() + ": " + x.verdict()));
  }

  /** @throws IllegalArgumentException naming the option and the bad value */
  private KeepRules rules() {
    List<IncludeRule> includes = new ArrayList<>();
    for (String path : includePaths) {
      includes.add(IncludeRule.path(absolute("--include-path", path)));
    }
    for (Path file : includePathFiles) {
      includes.addAll(readPathFile(file));
    }
    for (String path : preservePaths) {
      includes.add(IncludeRule.preserve(absolute("--preserve-path", path)));
    }
    for (String path : includeBins) {
      includes.add(IncludeRule.bin(absolute("--include-bin", path)));
    }
    for (String name : includeExes) {
      if (name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException("--include-exe '" + name
            + "': give a program name to look up on the image's PATH (for a path use --include-bin)");
      }
      includes.add(IncludeRule.exe(name));
    }
    if (includeShell) {
      includes.add(IncludeRule.shell());
    }
    if (includeCerts) {
      includes.add(IncludeRule.certs());
    }
    if (includeZoneinfo) {
      includes.add(IncludeRule.zoneinfo());
    }
    if (includeWorkdir) {
      includes.add(IncludeRule.workdir());
    }
    List<PathGlob> excludes = new ArrayList<>();
    for (String glob : excludePatterns) {
      try {
        excludes.add(PathGlob.parse(glob));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--exclude-pattern: " + e.getMessage());
      }
    }
    List<String> explain = explainPaths.stream().map(p -> absolute("--explain", p)).toList();
    return new KeepRules(includes, excludes, allowMissingIncludes, explain, units(), drops());
  }

  private static List<IncludeRule> readPathFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("--include-path-file " + file + ": cannot read it ("
          + e.getClass().getSimpleName() + ")");
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("--include-path-file " + file + ": cannot read it (not text)");
    }
    List<IncludeRule> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String path = lines.get(i).strip();
      if (path.isEmpty() || path.startsWith("#")) {
        continue;
      }
      String origin = "--include-path-file " + file + " line " + (i + 1);
      rules.add(new IncludeRule(IncludeRule.Kind.PATH, absolute(origin, path), origin + ": " + path));
    }
    return rules;
  }

  private static String absolute(String option, String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(option + " '" + path + "': must be an absolute path inside the image");
    }
    return path;
  }
}
