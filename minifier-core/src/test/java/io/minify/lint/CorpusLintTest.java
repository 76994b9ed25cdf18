package io.minify.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Lint over every Dockerfile of the repository's sample apps and real-app corpus
 * ({@code sample-apps/}, {@code sample-apps/real/}) and the test images of the CLI, each
 * with its own directory as the build context: the findings must be exactly the ones in
 * {@code corpus-findings.txt}. A rule that starts or stops finding something on a real
 * Dockerfile shows as a change of that file. {@code -Dminify.golden.update=true} rewrites it
 * (then read the diff: every line must be true of its Dockerfile).
 */
class CorpusLintTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static List<Path> corpusDockerfiles() throws IOException {
    try (Stream<Path> files = Stream.concat(Files.walk(ROOT.resolve("sample-apps")),
        Files.walk(ROOT.resolve("cli/src/test/resources")))) {
      return files.filter(f -> f.getFileName().toString().equals("Dockerfile"))
          .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/node_modules/"))
          .map(ROOT::relativize).sorted().toList();
    }
  }

  @Test
  void everyCorpusDockerfileHasExactlyItsExpectedFindings() throws Exception {
    List<Path> dockerfiles = corpusDockerfiles();
    assertTrue(dockerfiles.size() >= 25, "the corpus is there: " + dockerfiles);
    StringBuilder actual = new StringBuilder();
    DockerfileLinter linter = new DockerfileLinter();
    for (Path relative : dockerfiles) {
      Path file = ROOT.resolve(relative);
      List<Finding> findings = linter.lint(file, file.getParent());
      actual.append(relative).append(": ").append(findings.size()).append(" findings\n");
      for (Finding f : findings) {
        actual.append(String.format("  %d %s %s: %s%n", f.line(), f.level().label(), f.rule(), f.reason()));
      }
    }
    LintGolden.assertGolden("corpus-findings.txt", actual.toString());
  }
}
