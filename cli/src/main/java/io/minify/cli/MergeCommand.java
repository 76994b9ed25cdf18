package io.minify.cli;

import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import io.minify.engine.ImageInfo;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.image.ImageReference;
import io.minify.pipeline.BuildOptions;
import io.minify.pipeline.BuildServices;
import io.minify.report.EarlierReport;
import io.minify.run.RunSensors;
import io.minify.run.SensorPlacement;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code minify merge REPORT...}: one slim image from earlier builds of one image, each verified on it. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
        "Builds one slim image from earlier builds of one image, verifying each.",
        "",
        "Each REPORT is the --report of an earlier build (or merge) of the image, run with its own options or"
            + " scenarios.",
        "It keeps what each build kept and what their runs opened, selected again as one (libraries and package"
            + " units stay whole), then replays each run's probes, exec commands and settings against the slim"
            + " image and compares the answers with what that run's original recorded: nothing runs under the"
            + " monitor again. The image is tagged only when every run passes.",
        "The image must still be in the Docker engine. The slim image has its tag, with its repository ending in"
            + " .slim, unless --tag names another."})
public final class MergeCommand implements Callable<Integer> {

  private final Supplier<ContainerEngine> engines;

  public MergeCommand() {
    this(DockerJavaEngine::connect);
  }

  MergeCommand(Supplier<ContainerEngine> engines) {
    this.engines = engines;
  }

  @Parameters(index = "0", arity = "1..*", paramLabel = "REPORT",
      description = "The JSON report of an earlier successful build (--report) or merge of the image.")
  List<Path> reports = new ArrayList<>();

  @ArgGroup(validate = false, heading = "%nOutput:%n")
  OutputOptions output = new OutputOptions();

  @ArgGroup(validate = false, heading = "%nWhat to keep (besides what each build kept):%n")
  KeepOptions keep = new KeepOptions();

  @Mixin
  RuleSwitches switches = new RuleSwitches();

  @ArgGroup(validate = false, heading = "%nNew image config:%n")
  ImageConfigOptions imageConfig = new ImageConfigOptions();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** What annotations cannot check; one clear sentence per problem. */
  void validate() {
    CommandLine line = spec.commandLine();
    output.validate(line);
    if (output.seccompProfile != null) {
      throw new CommandLine.ParameterException(line, "--seccomp-profile records the syscalls of a watched run, and"
          + " merge watches none: build with --seccomp-profile instead");
    }
    if (!output.noReport && output.report != null) {
      Path mine = output.report.toAbsolutePath().normalize();
      for (Path input : reports) {
        if (input.toAbsolutePath().normalize().equals(mine)) {
          throw new CommandLine.ParameterException(line, "--report " + output.report + " is one of the reports to"
              + " merge: name another file for the merge's own report");
        }
      }
    }
    keep.validate(line);
    imageConfig.validate(line);
  }

  @Override
  public Integer call() {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<EarlierReport> earlier = new ArrayList<>();
    try {
      for (Path file : reports) {
        earlier.add(EarlierReport.read(file, file.toString()));
      }
      EarlierReport.checkOneImage(earlier);
    } catch (IllegalArgumentException e) {
      return BuildCommand.fail(err, new BuildException(FailureKind.BAD_INPUT, e.getMessage()));
    }
    EarlierReport first = earlier.get(0);
    ContainerEngine engine;
    try {
      engine = engines.get();
    } catch (EngineException e) {
      return BuildCommand.fail(err, new BuildException(FailureKind.ENVIRONMENT, "inspect: " + e.getMessage()));
    }
    try (engine) {
      Optional<ImageInfo> image = engine.images().inspectImage(first.imageId().toString());
      if (image.isEmpty()) {
        return BuildCommand.fail(err, new BuildException(FailureKind.BAD_INPUT, first.name() + ": its image "
            + first.imageId() + " (" + first.image() + ") is no longer in the engine (minify never pulls: build or"
            + " load it again)"));
      }
      BuildOptions.Builder chosen = BuildOptions.defaults(first.imageId().toString()).toBuilder();
      output.applyTo(chosen);
      keep.applyTo(chosen, switches);
      imageConfig.applyTo(chosen);
      if (output.tag == null) {
        // the tag its builds would have made of the image's name, not of its id
        chosen.slimTag(ImageReference.slimDefault(first.image(), image.get().repoTags()));
      }
      BuildOptions options = chosen.build();
      // nothing is watched: the sensors are never armed, and a merge needs no root
      BuildServices services = PipelineSession.services(engine, RunSensors.host(SensorPlacement.ENGINE), err);
      return PipelineSession.execute(services, options, output, keep, engines, out, err, "merge",
          pipeline -> pipeline.merge(options, earlier), report -> List.of());
    } catch (EngineException e) {
      return BuildCommand.fail(err, Failures.asBuildFailure(e, e.getMessage()));
    }
  }
}
