package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.pipeline.BuildOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --entrypoint}, {@code --cmd}, {@code --new-entrypoint} and {@code --new-cmd} given as
 * words: split as a shell splits them, so quoted words stay one; parsed without an engine.
 */
class CommandWordsOptionTest {

  @Test
  void quotedWordsStayOneWord() {
    BuildOptions o = options("build", "app:1", "--entrypoint", "python -c \"print(1)\"", "--cmd", "'a b' c",
        "--new-entrypoint", "sh -c 'echo \"$HOME\"'", "--new-cmd", "x\\ y");
    assertEquals(List.of("python", "-c", "print(1)"), o.run().entrypoint());
    assertEquals(List.of("a b", "c"), o.run().cmd());
    assertEquals(List.of("sh", "-c", "echo \"$HOME\""), o.config().entrypoint());
    assertEquals(List.of("x y"), o.config().cmd());
  }

  @Test
  void plainWordsAndJsonArraysAreAsBefore() {
    BuildOptions o = options("build", "app:1", "--entrypoint", "/server --port 80", "--cmd", "[\"--mode\", \"a b\"]");
    assertEquals(List.of("/server", "--port", "80"), o.run().entrypoint());
    assertEquals(List.of("--mode", "a b"), o.run().cmd());
  }

  @Test
  void anUnclosedQuoteIsRefusedOnOneLineNamingTheOption() {
    for (String option : List.of("--entrypoint", "--cmd", "--new-entrypoint", "--new-cmd")) {
      CliRun.assertOptionRefused(CliRun.of("build", "app:1", option, "python -c \"print(1)"),
          option + ": 'python -c \"print(1)': the \" quote at character 11 is not closed");
    }
  }

  private static BuildOptions options(String... args) {
    CommandLine cmd = MinifyCommand.newCommandLine();
    CommandLine.ParseResult parsed = cmd.parseArgs(args);
    BuildCommand build = (BuildCommand) parsed.subcommand().commandSpec().userObject();
    build.validate();
    BuildOptions.Builder chosen = BuildOptions.defaults("app:1").toBuilder();
    build.run.applyTo(chosen);
    build.imageConfig.applyTo(chosen);
    return chosen.build();
  }
}
