package io.minify.cli;

import io.minify.failure.FailureKind;
import io.minify.lint.DockerfileLinter;
import io.minify.lint.DockerfileSyntaxException;
import io.minify.lint.Finding;
import io.minify.lint.Level;
import io.minify.lint.LintReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minify lint DOCKERFILE...}: the image-optimization checklist over Dockerfiles, no engine needed. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
        "Checks Dockerfiles for the practices of small, safe images.",
        "",
        "It reads each DOCKERFILE with a Dockerfile parser (directives, continuations, heredocs, stages) and"
            + " reports each finding with its line, level, rule, reason and fix.",
        "The rules: full or unpinned base images, build tools without a build stage, package caches left in a"
            + " layer, apt recommends, ADD of a URL, COPY of the whole context before a dependency install, the"
            + " .dockerignore, root as the user, HEALTHCHECK, BuildKit cache mounts, secrets in ENV or ARG.",
        "Needs no engine and no root."})
public final class LintCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "1..*", paramLabel = "DOCKERFILE", description = "A Dockerfile to check.")
  List<Path> dockerfiles = new ArrayList<>();

  @Option(names = "--context", paramLabel = "DIR",
      description = "The build context whose .dockerignore is checked (default: each Dockerfile's directory).")
  Path context;

  @Option(names = "--json", description = "Print the findings as JSON instead of a table.")
  boolean json;

  @Option(names = "--fail-on", paramLabel = "LEVEL", converter = LevelConverter.class,
      description = "Gate: exit 4 when a finding of LEVEL or above exists (info, warning or error).")
  Level failOn;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** A level as the user writes it. */
  static final class LevelConverter implements CommandLine.ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      return Level.named(value).orElseThrow(() -> BadValue.quoting(value, "must be info, warning or error"));
    }
  }

  void validate(CommandLine line) {
    if (context != null && !Files.isDirectory(context)) {
      throw new CommandLine.ParameterException(line, "--context " + context + ": not a directory");
    }
  }

  @Override
  public Integer call() {
    CommandLine line = spec.commandLine();
    validate(line);
    PrintWriter out = line.getOut();
    PrintWriter err = line.getErr();
    DockerfileLinter linter = new DockerfileLinter();
    List<LintReport> reports = new ArrayList<>();
    for (Path dockerfile : dockerfiles) {
      if (!Files.isRegularFile(dockerfile)) {
        return refuse(err, dockerfile + ": " + (Files.exists(dockerfile) ? "not a file" : "no such file"));
      }
      Path dir = context != null ? context : directoryOf(dockerfile);
      try {
        reports.add(new LintReport(dockerfile.toString(), dir.toString(), linter.lint(dockerfile, dir)));
      } catch (DockerfileSyntaxException e) {
        return refuse(err, dockerfile + ":" + e.line() + ": " + e.getMessage());
      } catch (IOException e) {
        return refuse(err, "cannot read " + dockerfile + ": " + e.getMessage());
      }
    }
    if (json) {
      out.println(LintReport.toJson(reports));
    } else {
      print(reports, out);
    }
    out.flush();
    if (failOn != null && reports.stream().anyMatch(r -> r.reaches(failOn))) {
      long count = reports.stream().flatMap(r -> r.findings().stream()).filter(f -> f.level().atLeast(failOn)).count();
      err.println("minify: gate failed: " + count + " finding" + (count == 1 ? "" : "s") + " at --fail-on "
          + failOn.label() + " or above");
      err.flush();
      return FailureKind.GATE_FAILED.exitCode();
    }
    return 0;
  }

  private static Path directoryOf(Path dockerfile) {
    Path parent = dockerfile.getParent();
    return parent != null ? parent : Path.of(".");
  }

  private static int refuse(PrintWriter err, String message) {
    err.println("minify: error: " + message);
    err.flush();
    return FailureKind.BAD_INPUT.exitCode();
  }

  static void print(List<LintReport> reports, PrintWriter out) {
    boolean first = true;
    for (LintReport report : reports) {
      if (!first) {
        out.println();
      }
      first = false;
      out.printf(Locale.ROOT, "%s: %d finding%s%n", report.file(), report.findings().size(),
          report.findings().size() == 1 ? "" : "s");
      if (report.findings().isEmpty()) {
        continue;
      }
      out.println(" line  level    rule                 reason");
      for (Finding f : report.findings()) {
        // line 0 is the build context (.dockerignore), not a line of the file
        out.printf(Locale.ROOT, "%5s  %-7s  %-19s  %s%n", f.line() == 0 ? "-" : Integer.toString(f.line()),
            f.level().label(), f.rule(), f.reason());
        out.printf(Locale.ROOT, "%5s  %-7s  %-19s  fix: %s%n", "", "", "", f.fix());
      }
    }
  }
}
