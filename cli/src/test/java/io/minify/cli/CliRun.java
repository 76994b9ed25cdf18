package io.minify.cli;

import io.minify.engine.ContainerEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import picocli.CommandLine;

/** One in-process run of the {@code minify} command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return run(MinifyCommand.newCommandLine(), args);
  }

  /** A run whose {@code build} talks to the engine {@code engines} gives. */
  static CliRun withEngine(Supplier<ContainerEngine> engines, String... args) {
    return run(MinifyCommand.newCommandLine(engines), args);
  }

  private static CliRun run(CommandLine cmd, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /**
   * Asserts the run was refused during option validation: exit 2 and exactly one line on
   * stderr naming the problem.
   */
  static void assertOptionRefused(CliRun run, String message) {
    org.junit.jupiter.api.Assertions.assertEquals(2, run.exitCode(), run.toString());
    org.junit.jupiter.api.Assertions.assertEquals("minify: error: " + message + " (see 'minify build --help')",
        run.err().strip(), run.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
