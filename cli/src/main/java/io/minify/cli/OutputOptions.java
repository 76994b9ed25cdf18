package io.minify.cli;

import io.minify.image.ImageReference;
import io.minify.pipeline.BuildOptions;
import io.minify.pipeline.OutputTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the result and the report go, and how much is printed. */
final class OutputOptions {

  @Option(names = "--tag", paramLabel = "REPO:TAG", converter = Tag.class,
      description = "The tag of the slim image (default: IMAGE's, with its repository ending in .slim).")
  ImageReference tag;

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
      description = {"Where temporary files go (default: $TMPDIR, else /tmp).", "They are removed after the build."})
  Path workDir;

  @Option(names = "--output-tar", paramLabel = "FILE",
      description = "Also write the slim image as a docker-archive (for docker load), tagged with the slim tag.")
  Path outputTar;

  @Option(names = "--output-oci", paramLabel = "DIR",
      description = "Also write the slim image as an OCI image layout (gzip layer) in DIR, which is absent or empty.")
  Path outputOci;

  @Option(names = "--sbom", paramLabel = "FILE",
      description = "Also write a CycloneDX 1.5 JSON SBOM of the verified slim image: the packages of its trimmed"
          + " database and the kept files no package owns.")
  Path sbom;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Also write one self-contained HTML page: original vs slim as a treemap by directory, packages,"
          + " probes and stage timings.")
  Path html;

  @Option(names = "--seccomp-profile", paramLabel = "FILE",
      description = {"Also record the syscalls the app makes while watched and write a Docker seccomp profile of"
          + " them (and of what the container runtime needs) to FILE; the slim image is verified under it"
          + " (docker run --security-opt seccomp=FILE).",
          "Needs root on the engine's host and the kernel's tracefs; not with --exec."})
  Path seccompProfile;

  @Option(names = "--no-load",
      description = {"Do not keep the slim image in the engine: only write the artifacts.",
          "The image is loaded under a tag of the run's own to verify it, then removed."})
  boolean noLoad;

  void validate(CommandLine line) {
    ArtifactFiles.validateTarget(line, "--sbom", sbom);
    ArtifactFiles.validateTarget(line, "--html", html);
    ArtifactFiles.validateTarget(line, "--seccomp-profile", seccompProfile);
    if (noLoad && outputTar == null && outputOci == null) {
      throw new CommandLine.ParameterException(line,
          "--no-load needs --output-tar or --output-oci: otherwise the build would produce nothing");
    }
    if (outputTar != null) {
      Path parent = outputTar.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !canCreateIn(parent)) {
        throw new CommandLine.ParameterException(line,
            "--output-tar: cannot write to " + outputTar + " (its directory does not exist or is not writable)");
      }
      if (Files.isDirectory(outputTar) || (Files.exists(outputTar) && !Files.isWritable(outputTar))) {
        throw new CommandLine.ParameterException(line,
            "--output-tar: cannot write to " + outputTar + " (it is a directory or not writable)");
      }
    }
    if (outputOci != null) {
      Path parent = outputOci.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !canCreateIn(parent)) {
        throw new CommandLine.ParameterException(line,
            "--output-oci: cannot write to " + outputOci + " (its parent directory does not exist or is not writable)");
      }
      if (Files.exists(outputOci) && !isEmptyDirectory(outputOci)) {
        throw new CommandLine.ParameterException(line,
            "--output-oci: " + outputOci + " exists and is not an empty directory");
      }
    }
    if (workDir != null) {
      // created if absent, so what must exist is its nearest existing ancestor, as a writable directory
      Path existing = workDir.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null || !Files.isDirectory(existing) || !canCreateIn(existing)) {
        throw new CommandLine.ParameterException(line, "--work-dir: cannot create directories in " + workDir + " ("
            + (existing == null ? "no such path" : existing + " is not a writable directory") + ")");
      }
    }
    if (!noReport && report != null) {
      Path parent = report.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !canCreateIn(parent)) {
        throw new CommandLine.ParameterException(line,
            "--report: cannot write to " + report + " (its directory does not exist or is not writable)");
      }
      // found now, not after the build has tagged its image
      if (Files.isDirectory(report)) {
        throw new CommandLine.ParameterException(line, "--report: " + report + " is a directory, not a file");
      }
      if (Files.exists(report) && !Files.isWritable(report)) {
        throw new CommandLine.ParameterException(line, "--report: " + report + " exists and is not writable");
      }
    }
  }

  BuildOptions.Builder applyTo(BuildOptions.Builder options) {
    options.reportFile(noReport ? null : report);
    if (tag != null) {
      options.slimTag(tag);
    }
    if (workDir != null) {
      options.workRoot(workDir);
    }
    return options.output(new OutputTargets(!noLoad, outputTar, outputOci, sbom, html, seccompProfile));
  }

  /** REPO:TAG, as the engine names an image. */
  static final class Tag implements CommandLine.ITypeConverter<ImageReference> {
    @Override
    public ImageReference convert(String tag) {
      try {
        return ImageReference.parse(tag);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  boolean printsProgress() {
    return !quiet && !json;
  }

  /**
   * Whether a file can be created in {@code dir}, tried for real: access(2) says yes to root
   * everywhere, also in /proc or on a read-only mount, where the build would fail at its end.
   */
  private static boolean canCreateIn(Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, ".minify-write-check-", ".tmp"));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
