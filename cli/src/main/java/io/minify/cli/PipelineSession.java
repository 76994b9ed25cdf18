package io.minify.cli;

import io.minify.engine.ContainerEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.pipeline.BuildListener;
import io.minify.pipeline.BuildOptions;
import io.minify.pipeline.BuildPipeline;
import io.minify.pipeline.BuildServices;
import io.minify.pipeline.HostFacts;
import io.minify.pipeline.OutputTargets;
import io.minify.pipeline.SlimImageDocuments;
import io.minify.probe.http.NettyHttpProber;
import io.minify.probe.tcp.SocketTcpProber;
import io.minify.report.BuildReport;
import io.minify.report.ReportJson;
import io.minify.run.RunSensors;
import io.minify.run.Sleeper;
import io.minify.run.StopWaiter;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code build} and {@code merge} do around their pipeline, once: its services on the
 * engine, Ctrl-C and SIGTERM while it runs, the slim image's documents, the summary (or the
 * report's JSON) on stdout, the CI gates, and one line for a failure.
 */
final class PipelineSession {

  /** The steps a command runs: {@link BuildPipeline#run} or {@link BuildPipeline#merge}. */
  @FunctionalInterface
  interface Steps {
    BuildReport run(BuildPipeline pipeline) throws BuildException;
  }

  private PipelineSession() {}

  /** The pipeline's outside systems on {@code engine}; notices (what was reaped) go to {@code err}, even with --quiet. */
  static BuildServices services(ContainerEngine engine, RunSensors sensors, PrintWriter err) {
    return new BuildServices(engine, () -> new NettyHttpProber(engine.containers().address().host()),
        new SocketTcpProber(engine.containers().address().host()), sensors, new StopWaiter(err, Sleeper.SYSTEM),
        Sleeper.SYSTEM, HostFacts.proc(), line -> {
          err.println(line);
          err.flush();
        });
  }

  /**
   * Runs {@code steps} and says how they went.
   *
   * @param made  what the command makes, for the line of an interrupted run ("build", "merge")
   * @param gates the CI gates' failures of a finished report (none: exit 0)
   * @return the exit code
   */
  static int execute(BuildServices services, BuildOptions options, OutputOptions output, KeepOptions keep,
      Supplier<ContainerEngine> engines, PrintWriter out, PrintWriter err, String made, Steps steps,
      Function<BuildReport, List<String>> gates) {
    BuildPipeline pipeline = new BuildPipeline(services,
        output.printsProgress() ? new BuildCommand.ProgressPrinter(err) : BuildListener.silent());
    try {
      BuildReport report;
      // Ctrl-C or SIGTERM aborts the pipeline; its failure then has the signal's kind and exit code
      SignalAbort signals = SignalAbort.install(pipeline, err);
      try {
        report = steps.run(pipeline);
      } finally {
        signals.close();
      }
      OutputTargets targets = options.output();
      if (targets.describesSlimImage()) {
        // after the signals are the JVM's again, in a scratch directory a shutdown hook removes
        int documents = AnalysisRun.execute(engines, options.workRoot(), err, opener -> {
          SlimImageDocuments.write(report, targets, opener);
          return 0;
        });
        if (documents != 0) {
          return documents;
        }
      }
      if (output.json) {
        new ReportJson().print(report, out);
        out.println();
      } else {
        new SummaryTable(report).print(out);
        keep.printExplanations(report, out);
      }
      out.flush();
      List<String> failedGates = gates.apply(report);
      if (!failedGates.isEmpty()) {
        // the image is built, verified and tagged: the gate judges it, it does not undo it
        err.println("minify: gate failed: " + String.join("; ", failedGates));
        err.flush();
        return FailureKind.GATE_FAILED.exitCode();
      }
      return 0;
    } catch (BuildException e) {
      if (pipeline.aborted()) {
        // the run's own failure after the abort ("No such container") is a consequence: one line
        err.println("minify: " + e.getMessage() + " by " + SignalAbort.name(e.kind()) + "; what the " + made
            + " made is removed");
        err.flush();
        return e.kind().exitCode();
      }
      return BuildCommand.fail(err, e);
    } finally {
      pipeline.cleanupFailures().forEach(f -> err.println("minify: warning: cleanup failed: " + f));
      err.flush();
    }
  }
}
