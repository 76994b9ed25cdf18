package io.minify.cli;

import io.minify.pipeline.BuildOptions;
import io.minify.pipeline.Scenario;
import io.minify.pipeline.ScenarioFile;
import io.minify.run.ContinueAfter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Several runs of one image ({@code --scenarios FILE}): each scenario is watched and verified in
 * a container of its own, with the build's options and the scenario's fields in their place.
 * {@link #validate} reads and checks the file before anything starts; {@link #applyTo} checks
 * each scenario against the build's options, which it overrides.
 */
final class ScenarioOptions {

  @Option(names = "--scenarios", paramLabel = "FILE",
      description = {"Watch and verify several runs of the image, one after the other, each with its own command,"
          + " env, user, workdir, probes, exec commands and --continue-after (a JSON file, see the README).",
          "The slim image keeps what any of them used and must pass every one; the report says which scenario"
              + " needed each kept file."})
  Path file;

  private List<Scenario> parsed = List.of();

  void validate(CommandLine line) {
    if (file == null) {
      return;
    }
    try {
      parsed = ScenarioFile.parse(file);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, "--scenarios " + e.getMessage());
    }
    for (Scenario s : parsed) {
      if (s.continueAfter() != null && s.continueAfter().mode() == ContinueAfter.Mode.ENTER
          && System.console() == null) {
        throw new CommandLine.ParameterException(line, "--scenarios " + file + ": scenario '" + s.name()
            + "': field 'continueAfter': enter, but stdin is not a terminal (use timeout:N or signal)");
      }
    }
  }

  /** The build's options with the scenarios; each checked with the build's options under it. */
  BuildOptions applyTo(CommandLine line, BuildOptions build) {
    if (parsed.isEmpty()) {
      return build;
    }
    try {
      ScenarioFile.check(parsed, build, file.toString());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, "--scenarios " + e.getMessage());
    }
    return build.toBuilder().scenarios(parsed).build();
  }
}
