package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package phase leaves a class data archive beside the jar, and the launcher maps the
 * classes a run needs from it; a jar it does not belong to (another path) ignores it without
 * a word on stdout, where {@code --json} output goes. No engine is needed: the JVM and the
 * command line are what is shown.
 */
class ClassDataArchiveIT {
  private static final Path LAUNCHER = Path.of("target", "minify").toAbsolutePath();
  private static final Path ARCHIVE = Path.of("target", "minify.jsa").toAbsolutePath();

  @TempDir
  Path tmp;

  @Test
  void theLauncherLoadsTheCommandLineFromTheArchiveMadeAtPackageTime() throws Exception {
    assertTrue(Files.size(ARCHIVE) > 1 << 20, "package made " + ARCHIVE);
    Path log = tmp.resolve("classes.log");
    List<String> out = run(List.of("sh", LAUNCHER.toString(), "--version"), "-Xlog:class+load=info:file=" + log);
    assertEquals(1, out.size(), "--version prints its line and nothing else: " + out);
    assertTrue(out.get(0).startsWith("minify "), out.toString());
    List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertTrue(loaded.stream().anyMatch(l -> l.contains("io.minify.cli.MinifyCommand")
        && l.contains("shared objects file")), "MinifyCommand came from the archive");
  }

  @Test
  void aJarTheArchiveIsNotOfIgnoresItSilently() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("dist"));
    Files.copy(Path.of("target", "minify.jar"), elsewhere.resolve("minify.jar"));
    Files.copy(LAUNCHER, elsewhere.resolve("minify"));
    Files.copy(ARCHIVE, elsewhere.resolve("minify.jsa")); // made for the jar in target/, not this copy
    List<String> out = run(List.of("sh", elsewhere.resolve("minify").toString(), "--version"), "");
    assertEquals(1, out.size(), "no CDS warning on stdout: " + out);
    assertTrue(out.get(0).startsWith("minify "), out.toString());
  }

  private static List<String> run(List<String> command, String javaOptions) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("MINIFY_JAVA_OPTS", javaOptions);
    Process process = builder.start();
    byte[] stdout = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "minify --version ended");
    assertEquals(0, process.exitValue());
    return new String(stdout, StandardCharsets.UTF_8).lines().toList();
  }
}
