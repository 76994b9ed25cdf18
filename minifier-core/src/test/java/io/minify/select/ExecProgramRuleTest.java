package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs named by --exec commands are kept like --include-exe keeps them, under their own reason. */
class ExecProgramRuleTest {

  @TempDir
  Path dir;

  private KeepSet select(List<IncludeRule> rules, List<String> observed) throws Exception {
    Path layer = new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").symlink("bin", "usr/bin")
        // scripts stand in for ELF programs: the closure follows their "#!" interpreter the same way
        .file("usr/bin/dash", "#!/usr/lib/shell-interp\n").symlink("usr/bin/sh", "dash")
        .file("usr/lib/shell-interp", "x")
        .file("usr/bin/sleep", "#!/usr/lib/sleep-interp\n").file("usr/lib/sleep-interp", "x")
        .file("usr/bin/redis-cli", "#!/usr/lib/shell-interp\n")
        .dir("app").dir("app/bin").file("app/bin/check", "#!/usr/lib/shell-interp\n").file("app/server", "x")
        .writeTo(dir.resolve("layer.tar"));
    ImageConfig config = new ImageConfig(List.of(), List.of("/app/server"), List.of("PATH=/usr/local/bin:/bin"), "",
        "/app", List.of("6379/tcp"), List.of(), Map.of(), null);
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(List.of(layer))) {
      TreeSet<UnixPath> files = new TreeSet<>();
      observed.forEach(o -> files.add(UnixPath.of(o)));
      AccessLog log = AccessLog.ofOpens(files, new TreeSet<>(), observed.size());
      return new KeepSetSelector(fs, config, new KeepRules(rules, List.of(), false, List.of())).select(log);
    }
  }

  @Test
  void aProgramTheWatchedRunNeverRanIsKeptWithItsClosureUnderItsOwnReason() throws Exception {
    String command = "until redis-cli ping; do sleep 1; done";
    KeepSet keep = select(List.of(IncludeRule.execProgram(command, "/bin/sh"),
        IncludeRule.execProgram(command, "redis-cli"), IncludeRule.execProgram(command, "sleep")),
        List.of("/usr/bin/dash", "/usr/bin/redis-cli"));
    assertEquals(new KeptBecause(KeepReason.EXEC_PROGRAM, "include rule 3: --exec '" + command + "': sleep"),
        keep.reasons().get(UnixPath.of("/usr/bin/sleep")));
    assertEquals(new KeptBecause(KeepReason.ELF_NEEDED, "for include rule 3: --exec '" + command + "': sleep"),
        keep.reasons().get(UnixPath.of("/usr/lib/sleep-interp")));
    // found through the image's PATH: /bin is a link to usr/bin, and the link is kept too
    assertEquals(Optional.of(KeepReason.EXEC_PROGRAM), keep.reasonOf(UnixPath.of("/bin")));
    assertEquals(Optional.of(KeepReason.OBSERVED),
        keep.reasonOf(UnixPath.of("/usr/bin/redis-cli")), "the first reason found is reported");
    assertEquals(Optional.of(KeepReason.EXEC_PROGRAM),
        keep.reasonOf(UnixPath.of("/usr/bin/sh")), "the shell, through its link");
    assertEquals("exec_program", KeepReason.EXEC_PROGRAM.label());
  }

  @Test
  void namesTheImageLacksAreSkippedWithoutErrorOrWarning() throws Exception {
    KeepSet keep = select(List.of(IncludeRule.execProgram("cd /x && wait_up", "cd"),
        IncludeRule.execProgram("cd /x && wait_up", "wait_up"), IncludeRule.execProgram("/nope/x", "/nope/x"),
        IncludeRule.execProgram("/usr", "/usr")), List.of());
    assertEquals(List.of(), keep.warnings());
    assertFalse(keep.countsByReason().containsKey(KeepReason.EXEC_PROGRAM), keep.reasons().toString());
  }

  @Test
  void pathsAreTakenAsGivenAndRelativeOnesFromTheWorkdir() throws Exception {
    KeepSet keep = select(List.of(IncludeRule.execProgram("./bin/check && /usr/bin/sleep 1", "./bin/check"),
        IncludeRule.execProgram("./bin/check && /usr/bin/sleep 1", "/usr/bin/sleep")), List.of());
    assertEquals(Optional.of(KeepReason.EXEC_PROGRAM), keep.reasonOf(UnixPath.of("/app/bin/check")));
    assertEquals(Optional.of(KeepReason.EXEC_PROGRAM), keep.reasonOf(UnixPath.of("/usr/bin/sleep")));
    assertTrue(keep.contains(UnixPath.of("/usr/lib/shell-interp")), "the script's interpreter comes along");
  }
}
