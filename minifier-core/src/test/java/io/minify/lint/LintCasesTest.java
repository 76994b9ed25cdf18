package io.minify.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deliberately bad (and good) Dockerfiles of {@code cases/}: each says what every rule
 * must find in it, in {@code # expect: LINE LEVEL RULE} comments (several on one line with {@code ;}; none: nothing), and gives
 * its build context's .dockerignore in {@code # dockerignore: PATTERN} comments (none: the
 * context has no .dockerignore). Each rule has a bad case that finds it and a good case that
 * does not ({@code RULE-bad*}, {@code RULE-good*}).
 */
class LintCasesTest {
  private static final Path CASES = Path.of("src/test/resources/io/minify/lint/cases");

  static List<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(CASES)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".Dockerfile")).sorted().toList();
    }
  }

  static LintTarget target(String name) throws Exception {
    String text = Files.readString(CASES.resolve(name), StandardCharsets.UTF_8);
    List<String> ignore = text.lines().filter(l -> l.startsWith("# dockerignore: "))
        .map(l -> l.substring("# dockerignore: ".length())).toList();
    return new LintTarget(new DockerfileParser().parse(text), ignore.isEmpty() ? Optional.empty()
        : Optional.of(ignore));
  }

  static List<String> expected(String name) throws IOException {
    return Files.readString(CASES.resolve(name)).lines().filter(l -> l.startsWith("# expect: "))
        .flatMap(l -> Stream.of(l.substring("# expect: ".length()).split(";"))).map(String::strip).sorted().toList();
  }

  static String brief(Finding f) {
    return f.line() + " " + f.level().label() + " " + f.rule();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findsExactlyWhatTheCaseExpects(String name) throws Exception {
    List<Finding> findings = new DockerfileLinter().lint(target(name));
    assertEquals(expected(name), findings.stream().map(LintCasesTest::brief).sorted().toList(),
        name + ": " + findings);
    for (Finding f : findings) {
      assertFalse(f.reason().isBlank() || f.fix().isBlank(), "every finding says why and what to do: " + f);
    }
  }

  @Test
  void everyRuleHasABadCaseThatFindsItAndAGoodCaseThatDoesNot() throws Exception {
    List<String> cases = cases();
    for (LintRule rule : DockerfileLinter.RULES) {
      List<String> bad = cases.stream().filter(c -> c.startsWith(rule.id() + "-bad")).toList();
      List<String> good = cases.stream().filter(c -> c.startsWith(rule.id() + "-good")).toList();
      assertFalse(bad.isEmpty(), rule.id() + " has no bad case");
      assertFalse(good.isEmpty(), rule.id() + " has no good case");
      for (String c : bad) {
        assertFalse(rule.check(target(c)).isEmpty(), rule.id() + " finds nothing in " + c);
      }
      for (String c : good) {
        assertEquals(List.of(), rule.check(target(c)), rule.id() + " in " + c);
      }
    }
  }

  @Test
  void ruleIdsAreDistinctAndEachFindingCarriesItsRulesId() throws Exception {
    List<String> ids = new ArrayList<>();
    DockerfileLinter.RULES.forEach(r -> ids.add(r.id()));
    assertEquals(ids.size(), ids.stream().distinct().count(), ids.toString());
    for (String c : cases()) {
      for (LintRule rule : DockerfileLinter.RULES) {
        for (Finding f : rule.check(target(c))) {
          assertEquals(rule.id(), f.rule());
          assertTrue(f.level() == rule.level() || f.level().compareTo(rule.level()) < 0,
              "a rule reports at its level or below: " + f);
        }
      }
    }
  }

  /** The JSON of one case, byte for byte: field order, level names, finding order. */
  @Test
  void theJsonIsTheGoldenFile() throws Exception {
    String name = "cache-left-bad.Dockerfile";
    LintReport report = new LintReport(name, ".", new DockerfileLinter().lint(target(name)));
    LintGolden.assertGolden("lint-golden.json", LintReport.toJson(List.of(report)) + "\n");
  }
}
