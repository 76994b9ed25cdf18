package io.minify.cli;

import io.minify.build.BuildOptions;
import io.minify.build.SlimTag;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the result and the report go, and how much is printed. */
final class OutputOptions {

  @Option(names = "--tag", paramLabel = "REPO:TAG", description = "Tag of the slim image (default <repo>.slim:<tag>).")
  String tag;

  @Option(names = "--report", paramLabel = "FILE", defaultValue = "minify-report.json",
      description = "Where to write the JSON report (default: ${DEFAULT-VALUE}).")
  Path report;

  @Option(names = "--no-report", description = "Write no report file.")
  boolean noReport;

  @Option(names = "--json", description = "Print the report as JSON on stdout instead of the table.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "No progress lines; only the result (or the error).")
  boolean quiet;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where temporary files go (default: the system temp dir). Removed after the build.")
  Path workDir;

  void validate(CommandLine line) {
    if (tag != null) {
      try {
        SlimTag.parse(tag);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(line, "--tag: " + e.getMessage());
      }
    }
    if (!noReport && report != null) {
      Path parent = report.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        throw new CommandLine.ParameterException(line,
            "--report: cannot write to " + report + " (its directory does not exist or is not writable)");
      }
    }
  }

  BuildOptions applyTo(BuildOptions options) {
    BuildOptions o = options.withReportFile(noReport ? null : report);
    if (tag != null) {
      o = o.withSlimTag(SlimTag.parse(tag));
    }
    if (workDir != null) {
      o = o.withWorkRoot(workDir);
    }
    return o;
  }

  boolean printsProgress() {
    return !quiet && !json;
  }
}
