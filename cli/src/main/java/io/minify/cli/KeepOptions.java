package io.minify.cli;

import io.minify.pipeline.BuildOptions;
import io.minify.report.BuildReport;
import io.minify.select.IncludeRule;
import io.minify.select.KeepRules;
import io.minify.select.PathGlob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      description = "Keep every path listed in FILE, one per line (blank lines and # comments skipped), repeatable.")
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
      description = {"Drop the paths GLOB matches (* ? [..] {a,b}, and ** across directories) even when observed,"
          + " repeatable.",
          "Include rules and the parent directories of kept entries still win."})
  List<String> excludePatterns = new ArrayList<>();

  @Option(names = "--allow-missing-includes",
      description = "An include that finds nothing in the image is a warning instead of an error.")
  boolean allowMissingIncludes;

  @Option(names = "--explain", paramLabel = "PATH",
      description = "After the build, say why PATH was kept or dropped (also in the report), repeatable.")
  List<String> explainPaths = new ArrayList<>();

  @Option(names = "--keep-package-db", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = {"Ship the image's dpkg or apk database trimmed to the packages with kept files, listing only"
          + " kept files, so scanners report exactly what the slim image holds.",
          "Default: on."})
  boolean keepPackageDb = true;

  @Option(names = "--strip-elf", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = {"Write kept ELF programs and shared objects without the sections nothing reads at run time:"
          + " debug information (.debug_*, .zdebug_*) and the static symbol table (.symtab, .strtab).",
          "What the loader maps (.dynsym, .dynstr, notes, Go's .gopclntab) stays.",
          "A file where that is not a plain cut at the end is copied as it is.",
          "Crash backtraces and debuggers in the slim image then show fewer names.",
          "The report's strippedElf says how many files and bytes.",
          "Default: on."})
  boolean stripElf = true;

  /** Made by {@link #validate}: the list files are read once. */
  private KeepRules rules;

  /** Checks everything that can be checked without the image: paths, names, globs, list files. */
  void validate(CommandLine line) {
    try {
      rules = rules();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, e.getMessage());
    }
  }

  /**
   * Sets the include, exclude and explain rules, with the keep units and drop rules that
   * {@code switches} has on.
   *
   * @throws IllegalStateException before {@link #validate}
   */
  BuildOptions.Builder applyTo(BuildOptions.Builder options, RuleSwitches switches) {
    if (rules == null) {
      throw new IllegalStateException("KeepOptions.validate() was not called");
    }
    return options.keep(rules.withUnits(switches.units()).withDrops(switches.drops())).keepPackageDb(keepPackageDb)
        .stripElf(stripElf);
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
    return new KeepRules(includes, excludes, allowMissingIncludes, explain);
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
