package io.minify.cli;

import io.minify.build.BuildListener;
import io.minify.build.BuildOptions;
import io.minify.build.BuildPipeline;
import io.minify.build.HostPrivileges;
import io.minify.build.SlimTag;
import io.minify.build.Stage;
import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.http.NettyHttpProber;
import io.minify.report.BuildReport;
import io.minify.report.ReportJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minify build IMAGE}: the whole pipeline. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Builds a slim copy of IMAGE (default tag: <repo>.slim:<tag>) that keeps only the files the app used.",
        "Needs root (or CAP_SYS_ADMIN) for the file monitor and a local Docker engine; never pulls."})
public final class BuildCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A local image: repo:tag or id.")
  String image;

  @ArgGroup(validate = false, heading = "%nOutput:%n")
  Output output = new Output();

  @ArgGroup(validate = false, heading = "%nProbing:%n")
  Probing probing = new Probing();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  static final class Output {
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
  }

  static final class Probing {
    @Option(names = "--http-probe", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Probe with HTTP GET / on every exposed port (default: on).")
    boolean httpProbe;

    @Option(names = "--http-probe-cmd", paramLabel = "[PROTO:]METHOD:PATH",
        description = "An extra probe, repeatable: e.g. GET:/health, post:/api/items, https:get:/."
            + " Runs on every exposed port, after GET /.")
    java.util.List<String> probeCommands = new java.util.ArrayList<>();

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long the app may take until its ports answer (default: ${DEFAULT-VALUE}).")
    int startTimeoutSeconds;
  }

  /** What annotations cannot check; one clear sentence per problem. */
  void validate() {
    if (image.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "IMAGE must not be empty");
    }
    if (output.tag != null) {
      try {
        SlimTag.parse(output.tag);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--tag: " + e.getMessage());
      }
    }
    for (String cmd : probing.probeCommands) {
      try {
        ProbeCommandParser.parse(cmd);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--http-probe-cmd: " + e.getMessage());
      }
    }
    if (probing.startTimeoutSeconds <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--start-timeout must be a positive number of seconds");
    }
    if (!probing.httpProbe) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--no-http-probe: HTTP probing is the only way to drive the app in this version");
    }
    if (!output.noReport && output.report != null) {
      Path parent = output.report.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--report: cannot write to " + output.report + " (its directory does not exist or is not writable)");
      }
    }
  }

  @Override
  public Integer call() {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!HostPrivileges.hasSysAdmin()) {
      return fail(err, new BuildException(FailureKind.ENVIRONMENT,
          "minify build needs root or CAP_SYS_ADMIN: the file monitor (fanotify) watches the container from the host"));
    }
    BuildOptions options = BuildOptions.defaults(image)
        .withStartTimeout(Duration.ofSeconds(probing.startTimeoutSeconds))
        .withReportFile(output.noReport ? null : output.report)
        .withProbes(probing.probeCommands.stream().map(ProbeCommandParser::parse).toList());
    if (output.tag != null) {
      options = options.withSlimTag(SlimTag.parse(output.tag));
    }
    if (output.workDir != null) {
      options = options.withWorkRoot(output.workDir);
    }
    ContainerEngine engine;
    try {
      engine = DockerJavaEngine.connect();
    } catch (EngineException e) {
      return fail(err, new BuildException(FailureKind.ENVIRONMENT, e.getMessage()));
    }
    try (engine) {
      BuildPipeline pipeline = new BuildPipeline(engine, NettyHttpProber::new,
          output.quiet || output.json ? BuildListener.silent() : new ProgressPrinter(err));
      Thread abortOnSignal = new Thread(pipeline::abort, "minify-abort");
      Runtime.getRuntime().addShutdownHook(abortOnSignal);
      try {
        BuildReport report = pipeline.run(options);
        if (output.json) {
          out.println(new ReportJson().toJson(report));
        } else {
          new SummaryTable(report).print(out);
        }
        out.flush();
        return 0;
      } catch (BuildException e) {
        return fail(err, e);
      } finally {
        pipeline.cleanupFailures().forEach(f -> err.println("minify: warning: cleanup failed: " + f));
        removeHook(abortOnSignal);
      }
    } catch (EngineException e) {
      return fail(err, new BuildException(FailureKind.ENVIRONMENT, e.getMessage()));
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting (Ctrl-C): the hook is running, which is the point
    }
  }

  private static int fail(PrintWriter err, BuildException e) {
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
    public void stageStarted(Stage stage) {}

    @Override
    public void stageFinished(Stage stage, Duration elapsed, String summary) {
      err.printf(Locale.ROOT, "[minify] %-12s %6.1fs  %s%n", stage.label(), elapsed.toMillis() / 1000.0, summary);
      err.flush();
    }
  }
}
