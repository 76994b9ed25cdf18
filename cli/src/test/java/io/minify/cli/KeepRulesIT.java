package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The keep rules end to end on a real image: one build of the Flask sample with every kind
 * of rule, then the slim image's files are listed ({@code docker export}: it has no
 * {@code find}) and the kept programs are run.
 */
class KeepRulesIT {

  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static final String SLIM = "minify-it/keep-rules.slim:it";

  private static ContainerEngine engine;
  private static Path workRoot;
  private static Path report;
  private static Path pathFile;
  private static CliRun run;
  private static JsonNode json;
  private static Set<String> slimFiles;

  @BeforeAll
  static void buildWithEveryRule() throws Exception {
    engine = DockerJavaEngine.connect();
    workRoot = Files.createTempDirectory("minify-it-keep");
    report = Files.createTempFile("minify-it-keep-report", ".json");
    pathFile = Files.createTempFile("minify-it-keep-paths", ".txt");
    Files.writeString(pathFile, "# docs nobody reads\n\n/usr/share/doc/dash\n");
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", SLIM, "--work-dir", workRoot.toString(),
        "--report", report.toString(),
        "--include-path", "/etc/debian_version",
        "--include-path", "/no/such/file",
        "--include-path-file", pathFile.toString(),
        "--preserve-path", "/etc/apt",
        "--include-exe", "ls",
        "--include-shell",
        // the app opens its zone file (time.localtime), but glibc falls back to UTC without it
        "--exclude-pattern", "/usr/share/zoneinfo/**",
        "--allow-missing-includes",
        "--explain", "/usr/share/zoneinfo/Etc/UTC",
        "--explain", "/etc/debian_version",
        "--explain", "/usr/share/doc/bash/copyright",
        "--explain", "/no/such/file"));
    SampleRoutes.of("python-flask").routes().forEach(r -> args.addAll(List.of("--http-probe-cmd", r.probeCommand())));
    run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    json = new ObjectMapper().readTree(report.toFile());
    slimFiles = exportedPaths(SLIM);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    TestImages.untag(SLIM);
    engine.close();
    Files.deleteIfExists(report);
    Files.deleteIfExists(pathFile);
    Files.deleteIfExists(workRoot);
  }

  @Test
  void nothingLeftBehind() throws Exception {
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void aFileOnlyAnIncludeKeepsIsPresentWithItsRule() {
    assertTrue(slimFiles.contains("/etc/debian_version"), "slim image lacks /etc/debian_version");
    assertEquals("included", kept("/etc/debian_version").path("reason").asText());
    assertEquals("include rule 1: --include-path /etc/debian_version", kept("/etc/debian_version").path("detail").asText());
    assertTrue(slimFiles.contains("/usr/share/doc/dash/copyright"), "from the path file");
    assertEquals("include rule 3: --include-path-file " + pathFile + " line 3: /usr/share/doc/dash",
        kept("/usr/share/doc/dash/copyright").path("detail").asText());
    assertFalse(slimFiles.contains("/usr/share/doc/bash/copyright"), "only the listed tree");
    assertTrue(json.path("keptByReason").path("included").asInt() > 0, json.path("keptByReason").toString());
  }

  @Test
  void anExcludedObservedFileIsAbsentAndRecorded() {
    assertFalse(slimFiles.contains("/usr/share/zoneinfo/Etc/UTC"));
    JsonNode excluded = null;
    for (JsonNode e : json.path("excluded")) {
      if (e.path("path").asText().equals("/usr/share/zoneinfo/Etc/UTC")) {
        excluded = e;
      }
    }
    assertTrue(excluded != null, "the report records the exclusion: " + json.path("excluded"));
    assertEquals("/usr/share/zoneinfo/**", excluded.path("pattern").asText());
    assertEquals("observed", excluded.path("wouldKeep").asText());
  }

  @Test
  void aPreservedDirectoryKeepsFilesNobodyTouched() throws Exception {
    Set<String> original = new TreeSet<>(Arrays.asList(
        docker("run", "--rm", "--entrypoint", "find", IMAGE, "/etc/apt").strip().split("\n")));
    assertTrue(original.size() > 5, original.toString());
    Set<String> slim = slimFiles.stream().filter(p -> p.equals("/etc/apt") || p.startsWith("/etc/apt/"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(original, slim);
    assertEquals("preserved", kept("/etc/apt/sources.list.d").path("reason").asText());
  }

  @Test
  void includeExePullsItsSharedLibrariesAndRuns() throws Exception {
    assertTrue(slimFiles.contains("/usr/bin/ls"));
    assertTrue(slimFiles.stream().anyMatch(p -> p.endsWith("/libselinux.so.1")), "libselinux, which python never opens");
    assertTrue(slimFiles.stream().anyMatch(p -> p.matches(".*/libpcre2-8\\.so\\.0.*")), "libpcre2-8");
    JsonNode selinux = null;
    for (JsonNode k : json.path("kept")) {
      if (k.path("path").asText().endsWith("/libselinux.so.1") && !k.path("reason").asText().equals("symlink_to_kept")) {
        selinux = k;
      }
    }
    assertTrue(selinux != null, "libselinux.so.1 in the report's kept list");
    assertEquals("elf_needed", selinux.path("reason").asText());
    assertEquals("for include rule 5: --include-exe ls", selinux.path("detail").asText());
    String listing = docker("run", "--rm", "--entrypoint", "/usr/bin/ls", SLIM, "/etc/apt");
    assertTrue(listing.contains("sources.list.d"), listing);
  }

  @Test
  void includeShellKeepsAWorkingShell() throws Exception {
    assertTrue(slimFiles.contains("/usr/bin/dash"));
    assertTrue(slimFiles.contains("/usr/bin/sh"));
    assertEquals("shell ok\n", docker("run", "--rm", "--entrypoint", "/bin/sh", SLIM, "-c", "echo shell ok"));
  }

  @Test
  void aMissingIncludeIsAWarningWhenAllowed() {
    assertTrue(run.err().contains("warning: include rule 2 (--include-path /no/such/file): not in the image"),
        run.toString());
  }

  @Test
  void explainSaysWhyAPathWasKeptOrDropped() {
    assertTrue(run.out().contains("explain /usr/share/zoneinfo/Etc/UTC: dropped: matched --exclude-pattern 1"
        + " (/usr/share/zoneinfo/**), although it was observed"), run.toString());
    assertTrue(run.out().contains("explain /etc/debian_version: kept: included (include rule 1: --include-path"
        + " /etc/debian_version)"), run.toString());
    assertTrue(run.out().contains("explain /usr/share/doc/bash/copyright: dropped: not observed, and no rule keeps it"),
        run.toString());
    assertTrue(run.out().contains("explain /no/such/file: not in the image"), run.toString());
    assertEquals(4, json.path("explained").size());
  }

  private static JsonNode kept(String path) {
    for (JsonNode k : json.path("kept")) {
      if (k.path("path").asText().equals(path)) {
        return k;
      }
    }
    throw new AssertionError(path + " is not in the report's kept list");
  }

  /** Every path in the image's filesystem, absolute, without trailing slashes. */
  private static Set<String> exportedPaths(String image) throws Exception {
    String container = docker("create", image).strip();
    try {
      Process export = new ProcessBuilder("sh", "-c", "docker export " + container + " | tar -t")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String listing = new String(export.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(export.waitFor(120, TimeUnit.SECONDS) && export.exitValue() == 0, "docker export failed");
      return listing.lines().map(l -> "/" + l.replaceAll("/+$", "")).collect(Collectors.toCollection(TreeSet::new));
    } finally {
      docker("rm", "-f", container);
    }
  }

  private static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }
}
