package io.minify.cli;

import io.minify.pipeline.BuildListener;
import io.minify.image.ImageReference;
import io.minify.pipeline.BuildOptions;
import io.minify.pipeline.BuildServices;
import io.minify.pipeline.HostPrivileges;
import io.minify.pipeline.MinifyVersion;
import io.minify.pipeline.Stage;
import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.report.FailureReport;
import io.minify.run.RunSensors;
import io.minify.run.SeccompProfile;
import io.minify.run.SensorPlacement;
import io.minify.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code minify build IMAGE}: the whole pipeline. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
        "Builds a slim copy of IMAGE that keeps only the files the app used.",
        "",
        "The slim image has IMAGE's tag, with its repository ending in .slim, unless --tag names another.",
        "The file monitor runs on this host when minify has root or CAP_SYS_ADMIN and the engine's containers are"
            + " processes of this machine, else in a sidecar container in the engine (MINIFY_SENSOR=host or engine"
            + " forces one).",
        "IMAGE must be in the Docker engine already: minify never pulls."})
public final class BuildCommand implements Callable<Integer> {

  /** Where the engine comes from: the local one, or (in tests) the real one behind a wrapper. */
  private final Supplier<ContainerEngine> engines;

  public BuildCommand() {
    this(DockerJavaEngine::connect);
  }

  BuildCommand(Supplier<ContainerEngine> engines) {
    this.engines = engines;
  }

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A local image: repo:tag or id.")
  String image;

  @ArgGroup(validate = false, heading = "%nOutput:%n")
  OutputOptions output = new OutputOptions();

  @ArgGroup(validate = false, heading = "%nProbing:%n")
  ProbeOptions probing = new ProbeOptions();

  @ArgGroup(validate = false, heading = "%nWhat to keep:%n")
  KeepOptions keep = new KeepOptions();

  /** The keep unit and drop rule flags, made from their enums; their groups follow "What to keep". */
  @Mixin
  RuleSwitches switches = new RuleSwitches();

  @ArgGroup(validate = false, heading = "%nTemporary containers (original and verification runs):%n")
  RunOptions run = new RunOptions();

  @ArgGroup(validate = false, heading = "%nScenarios (several runs, one image):%n")
  ScenarioOptions scenarios = new ScenarioOptions();

  @ArgGroup(validate = false, heading = "%nNew image config:%n")
  ImageConfigOptions imageConfig = new ImageConfigOptions();

  @ArgGroup(validate = false, heading = "%nCI gates (checked after a successful build; exit 4):%n")
  BuildGateOptions gates = new BuildGateOptions();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** What annotations cannot check; one clear sentence per problem. */
  void validate() {
    CommandLine line = spec.commandLine();
    if (image.isBlank()) {
      throw new CommandLine.ParameterException(line, "IMAGE must not be empty");
    }
    if (!ImageReference.isImageName(image)) {
      throw new CommandLine.ParameterException(line, "IMAGE '" + image + "' is neither an image reference"
          + " ([REGISTRY/]NAME[:TAG][@DIGEST], the name in lower case) nor an image id");
    }
    output.validate(line);
    probing.validate(line);
    if (output.seccompProfile != null && probing.drivesWithExec()) {
      // docker exec starts its process beside the app, not under it: the tracer never sees it,
      // and the verification run would deny it what it needs
      throw new CommandLine.ParameterException(line, "--seccomp-profile records the syscalls of the app's own"
          + " processes, and --exec commands run beside them (docker exec): leave out one of the two");
    }
    keep.validate(line);
    run.validate(line);
    scenarios.validate(line);
    imageConfig.validate(line);
  }

  @Override
  public Integer call() {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BuildOptions.Builder chosen = BuildOptions.defaults(image).toBuilder();
    output.applyTo(chosen);
    probing.applyTo(chosen);
    keep.applyTo(chosen, switches);
    run.applyTo(chosen);
    imageConfig.applyTo(chosen);
    BuildOptions options = scenarios.applyTo(spec.commandLine(), chosen.build());
    SensorPlacement placement;
    try {
      placement = SensorPlacement.parse(System.getenv("MINIFY_SENSOR"));
    } catch (IllegalArgumentException e) {
      return fail(err, new BuildException(FailureKind.BAD_INPUT, "MINIFY_SENSOR: " + e.getMessage()));
    }
    if (!HostPrivileges.hasSysAdmin()) {
      if (placement == SensorPlacement.HOST) {
        return fail(err, new BuildException(FailureKind.ENVIRONMENT, "minify build with MINIFY_SENSOR=host needs root"
            + " or CAP_SYS_ADMIN: the file monitor (fanotify) watches the container from this host"));
      }
      if (options.output().tracesSyscalls()) {
        return fail(err, new BuildException(FailureKind.ENVIRONMENT, "--seccomp-profile needs root or"
            + " CAP_SYS_ADMIN: it traces the app's syscalls with the kernel's tracefs on this host"));
      }
      // nothing on this host can watch: the sensor goes into the engine (as in a CI job's container)
      placement = SensorPlacement.ENGINE;
    }
    if (options.output().tracesSyscalls()) {
      Optional<String> cannot = placement == SensorPlacement.ENGINE
          ? Optional.of("MINIFY_SENSOR=engine places the monitor in the engine, and the syscalls are traced from"
              + " this host")
          : SeccompProfile.whyNotRecordable();
      if (cannot.isPresent()) {
        return fail(err, new BuildException(FailureKind.ENVIRONMENT, "--seccomp-profile: " + cannot.get()));
      }
    }
    ContainerEngine engine;
    try {
      engine = engines.get();
    } catch (EngineException e) {
      // inspection is the first stage to need the engine
      BuildException failed = new BuildException(FailureKind.ENVIRONMENT, Stage.INSPECT.label() + ": "
          + e.getMessage());
      writeFailureReport(options, failed, err);
      return fail(err, failed);
    }
    try (engine) {
      BuildServices services = PipelineSession.services(engine, RunSensors.host(placement), err);
      return PipelineSession.execute(services, options, output, keep, engines, out, err, "build",
          pipeline -> pipeline.run(options), gates::failures);
    } catch (EngineException e) {
      return fail(err, Failures.asBuildFailure(e, e.getMessage()));
    }
  }


  /**
   * The report of a build that failed before its pipeline ran (no engine): nothing ran, so
   * nothing was cleaned, but a CI step that reads --report finds why.
   */
  private static void writeFailureReport(BuildOptions options, BuildException failed, PrintWriter err) {
    if (options.reportFile() == null) {
      return;
    }
    FailureReport report = new FailureReport(MinifyVersion.current(), "none answered", options.image(), true,
        Stage.INSPECT.label(),
        failed.kind().name().toLowerCase(Locale.ROOT), failed.kind().exitCode(), failed.getMessage(), List.of(),
        List.of(), List.of(), List.of(), 0);
    try {
      new ReportJson().write(report, options.reportFile());
    } catch (IOException e) {
      err.println("minify: warning: cannot write the failure report to " + options.reportFile() + ": "
          + e.getMessage());
    }
  }

  /** The one line of a failure (and the container's log when it has one); its exit code. */
  static int fail(PrintWriter err, BuildException e) {
    err.println("minify: error: " + e.getMessage());
    if (!e.containerLog().isEmpty()) {
      err.println("  last lines of the container's log:");
      e.containerLog().forEach(l -> err.println("  | " + l));
    }
    err.flush();
    return e.kind().exitCode();
  }

  /** Prints one line per stage as it finishes. */
  static final class ProgressPrinter implements BuildListener {
    private final PrintWriter err;

    ProgressPrinter(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void stageFinished(Stage stage, Duration elapsed, String summary) {
      print(stage.label(), elapsed, summary);
    }

    @Override
    public void scenarioStageFinished(Stage stage, String scenario, Duration elapsed, String summary) {
      print(stage.label() + " (" + scenario + ")", elapsed, summary);
    }

    private void print(String label, Duration elapsed, String summary) {
      err.printf(Locale.ROOT, "[minify] %-12s %6.1fs  %s%n", label, elapsed.toMillis() / 1000.0, summary);
      err.flush();
    }
  }
}
