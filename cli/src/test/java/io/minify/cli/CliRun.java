package io.minify.cli;

import io.minify.engine.ContainerEngine;
import io.minify.failure.FailureKind;
import io.minify.pack.DockerArchiveValidator;
import io.minify.pack.OciLayoutValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * One in-process run of the {@code minify} command line, with what it printed: {@code err}
 * without the lines a build says about what other, killed builds left on the engine
 * ({@code allErr} has them). The suite shares its engines with whatever ran before it, and a
 * run killed there (a CI job cancelled, a session ended) leaves containers that the next build
 * reaps and names first on stderr: that is right, and not the output a test looks at.
 */
record CliRun(int exitCode, String out, String err, String allErr) {

  /** How the leftover reaper begins its lines (LeftoverReaper): about another build, never this one. */
  private static final List<String> REAPED_PREFIXES = List.of(
      "minify: removed what a build that ended without cleaning up left (pid ",
      "minify: warning: cannot remove all that a build that ended without cleaning up (pid ");

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
    String allErr = err.toString();
    CliRun run = new CliRun(code, out.toString(), withoutReapedLines(allErr), allErr);
    if (args.length > 0 && (args[0].equals("build") || args[0].equals("merge"))
        && (code == 0 || code == FailureKind.GATE_FAILED.exitCode())) {
      validateArtifacts(run, args);
    }
    return run;
  }

  static String withoutReapedLines(String err) {
    StringBuilder kept = new StringBuilder();
    for (String line : err.split("(?<=\n)")) {
      if (REAPED_PREFIXES.stream().noneMatch(line::startsWith)) {
        kept.append(line);
      }
    }
    return kept.toString();
  }

  /**
   * Every docker-archive and OCI layout a build wrote is checked whole, blob by blob, before
   * the test reads it: a build that verified its image must also have written it right.
   */
  private static void validateArtifacts(CliRun run, String... args) {
    for (int i = 0; i < args.length; i++) {
      try {
        Path tar = option(args, i, "--output-tar");
        if (tar != null) {
          new DockerArchiveValidator().requireValid(tar);
        }
        Path oci = option(args, i, "--output-oci");
        if (oci != null) {
          new OciLayoutValidator().requireValid(oci);
        }
      } catch (IOException e) {
        throw new AssertionError(e.getMessage() + "\n" + run, e);
      }
    }
  }

  /** The value of {@code name} when args[i] is it ("--name VALUE" or "--name=VALUE"), else null. */
  private static Path option(String[] args, int i, String name) {
    if (args[i].equals(name) && i + 1 < args.length) {
      return Path.of(args[i + 1]);
    }
    return args[i].startsWith(name + "=") ? Path.of(args[i].substring(name.length() + 1)) : null;
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
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + allErr;
  }
}
