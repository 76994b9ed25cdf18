package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minify lint} in-process: the table, the JSON, the gate and every refusal. */
class LintCommandTest {
  @TempDir
  Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dockerfile(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private Path bad() throws Exception {
    return dockerfile("app/Dockerfile", """
        FROM python:3.12
        ENV API_TOKEN=abc123
        RUN pip install flask
        """);
  }

  private Path clean() throws Exception {
    Path file = dockerfile("clean/Dockerfile", """
        FROM scratch
        COPY app /app
        USER 65534
        HEALTHCHECK NONE
        """);
    Files.writeString(file.resolveSibling(".dockerignore"), ".git\nnode_modules\n");
    return file;
  }

  @Test
  void theTableNamesLineLevelRuleReasonAndFix() throws Exception {
    CliRun run = CliRun.of("lint", bad().toString());
    assertEquals(0, run.exitCode(), "without --fail-on findings are not a failure: " + run);
    assertTrue(run.out().startsWith(dir.resolve("app/Dockerfile") + ": "), run.out());
    assertTrue(run.out().contains("    2  error    secret-in-env        ENV API_TOKEN gives a secret a value"), run.out());
    assertTrue(run.out().contains("    -  warning  dockerignore         the build context has no .dockerignore"),
        run.out());
    assertTrue(run.out().contains("fix: use pip install --no-cache-dir"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void theJsonIsOneObjectPerFileInTheOrderGiven() throws Exception {
    Path bad = bad();
    Path clean = clean();
    CliRun run = CliRun.of("lint", "--json", bad.toString(), clean.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode reports = JSON.readTree(run.out());
    assertEquals(2, reports.size());
    assertEquals(bad.toString(), reports.get(0).path("file").asText());
    assertEquals(bad.getParent().toString(), reports.get(0).path("context").asText());
    JsonNode first = reports.get(0).path("findings").get(0);
    java.util.List<String> fields = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    assertEquals(java.util.List.of("line", "level", "rule", "reason", "fix"), fields);
    assertEquals(0, reports.get(1).path("findings").size(), reports.get(1).toString());
    assertEquals(run.out(), CliRun.of("lint", "--json", bad.toString(), clean.toString()).out(), "same bytes");
  }

  @Test
  void failOnGatesAtTheLevelAndAbove() throws Exception {
    Path bad = bad();
    CliRun error = CliRun.of("lint", "--fail-on", "error", bad.toString());
    assertEquals(4, error.exitCode(), error.toString());
    assertEquals("minify: gate failed: 1 finding at --fail-on error or above", error.err().strip());
    assertEquals(4, CliRun.of("lint", "--fail-on", "INFO", bad.toString()).exitCode());
    CliRun clean = CliRun.of("lint", "--fail-on", "info", clean().toString());
    assertEquals(0, clean.exitCode(), clean.toString());
  }

  @Test
  void contextNamesTheDirectoryWhoseDockerignoreCounts() throws Exception {
    Path bad = bad();
    Path context = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(context.resolve(".dockerignore"), "**/.git\nnode_modules/\n");
    CliRun run = CliRun.of("lint", "--json", "--context", context.toString(), bad.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(!run.out().contains("dockerignore"), run.out());
  }

  @Test
  void badInputIsOneLineAndExit2() throws Exception {
    CliRun missing = CliRun.of("lint", dir.resolve("nope/Dockerfile").toString());
    assertEquals(2, missing.exitCode());
    assertEquals("minify: error: " + dir.resolve("nope/Dockerfile") + ": no such file", missing.err().strip());

    CliRun directory = CliRun.of("lint", dir.toString());
    assertEquals(2, directory.exitCode());
    assertEquals("minify: error: " + dir + ": not a file", directory.err().strip());

    Path broken = dockerfile("broken/Dockerfile", "FROM scratch\nRUN <<EOF\necho never closed\n");
    CliRun syntax = CliRun.of("lint", broken.toString());
    assertEquals(2, syntax.exitCode());
    assertEquals("minify: error: " + broken + ":2: RUN: the heredoc <<EOF is never closed (no line 'EOF' after it)",
        syntax.err().strip());

    CliRun level = CliRun.of("lint", "--fail-on", "fatal", bad().toString());
    assertEquals(2, level.exitCode());
    assertEquals("minify: error: --fail-on 'fatal': must be info, warning or error (see 'minify lint --help')",
        level.err().strip());

    CliRun context = CliRun.of("lint", "--context", dir.resolve("none").toString(), bad().toString());
    assertEquals(2, context.exitCode());
    assertEquals("minify: error: --context " + dir.resolve("none") + ": not a directory (see 'minify lint --help')",
        context.err().strip());

    CliRun none = CliRun.of("lint");
    assertEquals(2, none.exitCode());
    assertEquals(1, none.err().strip().lines().count(), none.toString());
    assertTrue(none.err().contains("DOCKERFILE"), none.toString());
  }

  @Test
  void unreadableFileIsExit2() throws Exception {
    Path file = bad();
    if (!file.toFile().setReadable(false) || Files.isReadable(file)) {
      return; // root reads every file: nothing to refuse
    }
    CliRun run = CliRun.of("lint", file.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("minify: error: cannot read " + file + ": "), run.err());
  }
}
