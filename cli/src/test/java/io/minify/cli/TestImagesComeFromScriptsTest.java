package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh machine has no image an earlier run left behind, and no registry to pull from:
 * every image a test or a sample starts FROM must be one that {@code scripts/test.sh}
 * builds (all of {@code base-images.sh}, all of {@code build-samples.sh}). Reads the
 * sources and the scripts; needs no engine.
 */
class TestImagesComeFromScriptsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** A Dockerfile FROM line: in a Dockerfile, a text block, or a "...\\n" string. */
  private static final Pattern FROM = Pattern.compile(
      "(?m)\\bFROM\\s+([a-z0-9][a-z0-9._/:@-]*)(?:\\s+AS\\s+([a-z0-9._-]+))?(?=[ \\t]*$|\\\\n|\")");
  private static final Pattern BASE = Pattern.compile("minify-base:([a-z0-9-]+)");
  private static final Pattern SAMPLE = Pattern.compile("minify-sample/([a-z0-9-]+):");
  /** Corpus images and their bases, built by scripts/corpus.sh from sample-apps/real/NAME/app.env. */
  private static final Pattern CORPUS = Pattern.compile("minify-real(?:-base)?/([a-z0-9-]+):");

  @Test
  void everyImageTheTestsAndSamplesNameIsBuiltByTheScripts() throws IOException {
    Set<String> bases = scriptList("scripts/base-images.sh");
    Set<String> samples = scriptList("scripts/build-samples.sh");
    List<String> problems = new ArrayList<>();
    for (Path file : sourcesAndDockerfiles()) {
      if (onlyLinted(file)) {
        continue;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String where = ROOT.relativize(file).toString();
      Set<String> stages = new TreeSet<>();
      Matcher from = FROM.matcher(text);
      while (from.find()) {
        String image = from.group(1);
        if (!image.equals("scratch") && !stages.contains(image) && !BASE.matcher(image).matches()
            && !SAMPLE.matcher(image).lookingAt() && !CORPUS.matcher(image).lookingAt()
            && !image.startsWith("minify-it/")) {
          problems.add(where + ": FROM " + image + " is not an image the scripts build");
        }
        if (from.group(2) != null) {
          stages.add(from.group(2));
        }
      }
      Matcher base = BASE.matcher(text);
      while (base.find()) {
        if (!bases.contains(base.group(1))) {
          problems.add(where + ": minify-base:" + base.group(1) + " is not built by base-images.sh " + bases);
        }
      }
      Matcher corpus = CORPUS.matcher(text);
      while (corpus.find()) {
        Path env = ROOT.resolve("sample-apps/real").resolve(corpus.group(1)).resolve("app.env");
        if (!Files.isRegularFile(env) || !Files.readString(env).contains("BASE_PACKAGES=")) {
          problems.add(where + ": " + corpus.group() + " is not a corpus app that scripts/corpus.sh builds");
        }
      }
      Matcher sample = SAMPLE.matcher(text);
      while (sample.find()) {
        if (!samples.contains(sample.group(1))) {
          problems.add(where + ": minify-sample/" + sample.group(1) + " is not built by build-samples.sh " + samples);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyCorpusAppATestRunsIsBuiltByTheTestScript() throws IOException {
    Matcher listed = Pattern.compile("(?m)^CORPUS_APPS_IN_SUITE=(.*)$")
        .matcher(Files.readString(ROOT.resolve("scripts/corpus-suite.env")));
    assertTrue(listed.find(), "scripts/corpus-suite.env lists the suite's corpus apps");
    Set<String> built = new TreeSet<>(List.of(listed.group(1).strip().split("\\s+")));
    List<String> problems = new ArrayList<>();
    Pattern app = Pattern.compile("new CorpusApp\\(\"([a-z0-9-]+)\"\\)");
    for (Path file : sourcesAndDockerfiles()) {
      Matcher m = app.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        if (!built.contains(m.group(1))) {
          problems.add(ROOT.relativize(file) + ": corpus app " + m.group(1) + " is not in CORPUS_APPS_IN_SUITE " + built);
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(Files.readString(ROOT.resolve("scripts/test.sh")).contains("scripts/corpus.sh build"),
        "test.sh builds the suite's corpus apps");
  }

  @Test
  void theTestScriptBuildsEveryBaseAndEverySample() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("scripts/test.sh")).stream().map(String::strip).toList();
    // without names, both scripts build everything they know
    assertTrue(lines.contains("scripts/base-images.sh"), "test.sh builds all base images: " + lines);
    assertTrue(lines.contains("scripts/build-samples.sh"), "test.sh builds all sample images: " + lines);
    assertTrue(lines.indexOf("scripts/engine.sh") >= 0
        && lines.indexOf("scripts/engine.sh") < lines.indexOf("scripts/base-images.sh"), "an engine runs first");
    assertTrue(Files.readString(ROOT.resolve("scripts/prereqs.sh")).lines().anyMatch(l -> l.contains("skopeo")),
        "OutputArtifactsIT reads the OCI layout with skopeo, which prereqs.sh installs");
  }

  /** The names in a script's {@code ALL=(...)} line. */
  private static Set<String> scriptList(String script) throws IOException {
    Matcher m = Pattern.compile("(?m)^ALL=\\(([^)]*)\\)").matcher(Files.readString(ROOT.resolve(script)));
    assertTrue(m.find(), script + " has no ALL=(...) list");
    return new TreeSet<>(List.of(m.group(1).strip().split("\\s+")));
  }

  /**
   * The Dockerfiles of the lint tests are read by the linter, never built: their bases are
   * whatever a user's file names (debian, python:3.12, ...), and no engine sees them.
   */
  private static boolean onlyLinted(Path file) {
    String path = file.toString().replace('\\', '/');
    return path.contains("/src/test/java/io/minify/lint/") || path.endsWith("/io/minify/cli/LintCommandTest.java");
  }

  private static List<Path> sourcesAndDockerfiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String module : List.of("base", "probe-agent", "minifier-core", "cli")) {
      Path tests = ROOT.resolve(module).resolve("src/test");
      if (Files.isDirectory(tests)) {
        files.addAll(walk(tests));
      }
    }
    walk(ROOT.resolve("sample-apps")).stream()
        .filter(p -> p.getFileName().toString().equals("Dockerfile")).forEach(files::add);
    assertFalse(files.isEmpty(), "no sources found below " + ROOT);
    return files;
  }

  private static List<Path> walk(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/node_modules/") && !p.toString().contains("/target/"))
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.endsWith(".java") || name.equals("Dockerfile") || name.endsWith(".sh");
          })
          .sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
