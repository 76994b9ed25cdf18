package io.minify.cli;

import io.minify.image.WorkFiles;
import io.minify.analysis.AnalysisJson;
import io.minify.analysis.ImageOpener;
import io.minify.engine.ContainerEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One run of an analysis command: a scratch directory of its own (deleted at the end, and on
 * Ctrl-C by a shutdown hook), an {@link ImageOpener} reading into it, and the one-line
 * failure with its exit code.
 */
final class AnalysisRun {

  /** The analysis itself, given an opener; returns the exit code. */
  interface Body {
    int run(ImageOpener opener) throws BuildException, IOException;
  }

  private AnalysisRun() {}

  static int execute(Supplier<ContainerEngine> engines, Path workRoot, PrintWriter err, Body body) {
    Path scratch;
    try {
      Files.createDirectories(workRoot);
      scratch = Files.createTempDirectory(workRoot, "minify-analysis-");
    } catch (IOException e) {
      return fail(err, new BuildException(FailureKind.ENVIRONMENT, "cannot create a work directory under " + workRoot
          + ": " + e.getMessage()));
    }
    Thread removeOnSignal = new Thread(() -> deleteQuietly(scratch), "minify-cleanup");
    Runtime.getRuntime().addShutdownHook(removeOnSignal);
    try (ImageOpener opener = new ImageOpener(engines, scratch)) {
      return body.run(opener);
    } catch (BuildException e) {
      return fail(err, e);
    } catch (IOException | UncheckedIOException e) {
      return fail(err, Failures.asBuildFailure(e, "I/O failed: " + e.getMessage()));
    } catch (io.minify.engine.EngineException | OutOfMemoryError e) {
      return fail(err, Failures.asBuildFailure(e, e.getMessage()));
    } finally {
      deleteQuietly(scratch);
      try {
        Runtime.getRuntime().removeShutdownHook(removeOnSignal);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (Ctrl-C): the hook is deleting the directory, which is the point
      }
    }
  }

  static int fail(PrintWriter err, BuildException e) {
    err.println("minify: error: " + e.getMessage());
    err.flush();
    return e.kind().exitCode();
  }

  /**
   * Prints a result as JSON or as its tables, then the gates: each failed gate is named on
   * one line, exit 4; none failed, exit 0.
   */
  static <T> int printAndGate(PrintWriter out, PrintWriter err, boolean json, T result,
      BiConsumer<T, PrintWriter> tables, List<String> failedGates) {
    if (json) {
      out.println(new AnalysisJson().toJson(result));
    } else {
      tables.accept(result, out);
    }
    out.flush();
    if (failedGates.isEmpty()) {
      return 0;
    }
    err.println("minify: gate failed: " + String.join("; ", failedGates));
    err.flush();
    return FailureKind.GATE_FAILED.exitCode();
  }

  private static void deleteQuietly(Path dir) {
    try {
      WorkFiles.deleteTree(dir);
    } catch (IOException e) {
      // a file the OS temp cleaner will reclaim; the analysis result matters more
    }
  }
}
