package io.minify.cli;

import io.minify.image.WorkFiles;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What {@code xray} and {@code diff} share: output form, list lengths, the scratch place. */
final class AnalysisOptions {

  @Option(names = "--json", description = "Print the analysis as JSON instead of tables.")
  boolean json;

  @Option(names = "--top", paramLabel = "N", defaultValue = "20",
      description = "How many rows the lists of the largest and the biggest keep (default: ${DEFAULT-VALUE}).")
  int top = 20;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = {"Where the layers are unpacked while reading (default: $TMPDIR, else /tmp).",
          "They are removed after."})
  Path workDir;

  @Option(names = "--sbom", paramLabel = "FILE",
      description = "Also write a CycloneDX 1.5 JSON SBOM of the image (of B for diff): its OS packages and the"
          + " files no package owns.")
  Path sbom;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Also write the analysis as one self-contained HTML page (treemap by directory and tables).")
  Path html;

  void validate(CommandLine line) {
    ArtifactFiles.validateTarget(line, "--sbom", sbom);
    ArtifactFiles.validateTarget(line, "--html", html);
    if (top < 1) {
      throw new CommandLine.ParameterException(line, "--top " + top + ": must be at least 1");
    }
  }

  Path workRoot() {
    return workDir != null ? workDir : WorkFiles.defaultRoot();
  }
}
