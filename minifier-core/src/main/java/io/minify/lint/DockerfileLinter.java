package io.minify.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The checklist: every rule, run over one Dockerfile and its build context. */
public final class DockerfileLinter {

  /** Every rule, in the order the README lists them. */
  public static final List<LintRule> RULES = List.of(new BaseNotSlimRule(), new BaseUnpinnedRule(),
      new BaseByTagRule(), new MultiStageRule(), new CacheLeftRule(), new AptRecommendsRule(), new AddUrlRule(),
      new CopyOrderRule(), new DockerIgnoreRule(), new RootUserRule(), new HealthcheckRule(), new CacheMountRule(),
      new SecretRule());

  private final DockerfileParser parser = new DockerfileParser();

  /** The findings of every rule on {@code target}, ordered by {@link Finding#ORDER}. */
  public List<Finding> lint(LintTarget target) {
    List<Finding> findings = new ArrayList<>();
    for (LintRule rule : RULES) {
      findings.addAll(rule.check(target));
    }
    findings.sort(Finding.ORDER);
    return List.copyOf(findings);
  }

  /**
   * Reads, parses and lints {@code dockerfile}, with the {@code .dockerignore} of {@code context}.
   *
   * @throws IOException               when the file cannot be read
   * @throws DockerfileSyntaxException when the builder would refuse it
   */
  public List<Finding> lint(Path dockerfile, Path context) throws IOException, DockerfileSyntaxException {
    String text = new String(Files.readAllBytes(dockerfile), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Path ignore = context.resolve(".dockerignore");
    Optional<List<String>> dockerignore = Files.isRegularFile(ignore)
        ? Optional.of(Files.readAllLines(ignore, StandardCharsets.UTF_8)) : Optional.empty();
    return lint(new LintTarget(parser.parse(text), dockerignore));
  }
}
