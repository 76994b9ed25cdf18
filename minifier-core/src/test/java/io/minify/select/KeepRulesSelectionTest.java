package io.minify.select;

import io.minify.path.UnixPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.sensor.AccessLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's keep rules (include, preserve, exclude, explain) on a synthetic merged-/usr image. */
class KeepRulesSelectionTest {

  @TempDir
  Path dir;

  private LayeredImageFilesystem image() throws Exception {
    Path layer = new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").symlink("bin", "usr/bin")
        // scripts stand in for ELF programs: the closure follows their "#!" interpreter the same way
        .file("usr/bin/dash", "#!/usr/lib/shell-interp\n").symlink("usr/bin/sh", "dash")
        .file("usr/lib/shell-interp", "x")
        .file("usr/bin/tool", "#!/usr/lib/tool-interp\n").file("usr/lib/tool-interp", "x")
        .dir("etc").dir("etc/ssl").dir("etc/ssl/certs")
        .symlink("etc/ssl/certs/ca.pem", "/usr/share/ca-certificates/org/ca.crt")
        .file("etc/ca-certificates.conf", "org/ca.crt\n")
        .dir("usr/share").dir("usr/share/ca-certificates").dir("usr/share/ca-certificates/org")
        .file("usr/share/ca-certificates/org/ca.crt", "-----BEGIN CERTIFICATE-----\n")
        .dir("usr/share/zoneinfo").dir("usr/share/zoneinfo/Etc").file("usr/share/zoneinfo/Etc/UTC", "TZif")
        .symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC").file("etc/timezone", "Etc/UTC\n")
        .dir("usr/share/doc").dir("usr/share/doc/pkg")
        .file("usr/share/doc/pkg/README", "r").file("usr/share/doc/pkg/copyright", "c")
        .dir("app").dir("app/data").file("app/main.py", "print()").file("app/data/seed.json", "{}")
        .dir("opt").dir("opt/keep").dir("opt/keep/bin").file("opt/keep/a.txt", "a")
        .file("opt/keep/bin/helper", "#!/usr/lib/opt-interp\n").file("usr/lib/opt-interp", "x")
        .writeTo(dir.resolve("layer.tar"));
    return LayeredImageFilesystem.open(List.of(layer));
  }

  private static ImageConfig config(String workdir) {
    return new ImageConfig(List.of(), List.of("/usr/bin/tool"), List.of("PATH=/bin"), "", workdir,
        List.of("8080/tcp"), List.of(), Map.of(), null);
  }

  private static AccessLog log(List<String> files, List<String> dirs) {
    return AccessLog.ofOpens(new TreeSet<>(files.stream().map(UnixPath::of).toList()),
        new TreeSet<>(dirs.stream().map(UnixPath::of).toList()), files.size() + dirs.size());
  }

  private static KeepRules includes(IncludeRule... rules) {
    return new KeepRules(List.of(rules), List.of(), false, List.of());
  }

  private KeepSet select(KeepRules rules, List<String> observed) throws Exception {
    try (LayeredImageFilesystem fs = image()) {
      return new KeepSetSelector(fs, config("/app"), rules).select(log(observed, List.of()));
    }
  }

  @Test
  void includePathKeepsAFileOrAWholeTreeWithItsRuleNumber() throws Exception {
    KeepSet keep = select(includes(IncludeRule.path("/etc/timezone"), IncludeRule.path("/usr/share/doc/pkg/")), List.of());
    assertEquals(new KeptBecause(KeepReason.INCLUDED, "include rule 1: --include-path /etc/timezone"),
        keep.reasons().get(p("/etc/timezone")));
    assertEquals(new KeptBecause(KeepReason.INCLUDED, "include rule 2: --include-path /usr/share/doc/pkg/"),
        keep.reasons().get(p("/usr/share/doc/pkg/README")));
    assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p("/usr/share/doc/pkg/copyright")));
    assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p("/usr/share/doc/pkg")));
    assertEquals(Optional.of(KeepReason.PARENT_DIR), keep.reasonOf(p("/usr/share/doc")));
    assertEquals(1, keep.countsByReason().get(KeepReason.ENTRYPOINT));
  }

  @Test
  void includedTreeBringsTheTargetsOfItsLinks() throws Exception {
    KeepSet keep = select(includes(IncludeRule.path("/etc/ssl")), List.of());
    assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p("/etc/ssl/certs/ca.pem")));
    assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p("/usr/share/ca-certificates/org/ca.crt")));
  }

  @Test
  void excludedObservedFilesAreDroppedAndRecordedButIncludesAndParentsWin() throws Exception {
    KeepRules rules = new KeepRules(List.of(IncludeRule.path("/usr/share/doc/pkg/copyright")),
        List.of(PathGlob.parse("/etc/**"), PathGlob.parse("/usr/share/doc/**")), false, List.of());
    KeepSet keep = select(rules, List.of("/usr/share/doc/pkg/README", "/usr/share/doc/pkg/copyright",
        "/usr/share/doc/pkg", "/app/main.py"));
    assertFalse(keep.contains(p("/usr/share/doc/pkg/README")));
    assertEquals(new Exclusion(p("/usr/share/doc/pkg/README"), 2, "/usr/share/doc/**", KeepReason.OBSERVED),
        keep.excluded().get(p("/usr/share/doc/pkg/README")));
    assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p("/usr/share/doc/pkg/copyright")),
        "an explicit include wins over the pattern");
    assertEquals(Optional.of(KeepReason.PARENT_DIR), keep.reasonOf(p("/usr/share/doc/pkg")),
        "an excluded directory that holds a kept entry stays");
    assertFalse(keep.excluded().containsKey(p("/usr/share/doc/pkg")));
    assertEquals(paths("/usr/share/doc/pkg/README"), List.copyOf(keep.excluded().keySet()));
  }

  @Test
  void excludeAlsoDropsWhatTheClosureWouldAdd() throws Exception {
    KeepRules rules = new KeepRules(List.of(), List.of(PathGlob.parse("/usr/lib/tool-*")), false, List.of());
    KeepSet keep = select(rules, List.of());
    assertEquals(Optional.of(KeepReason.ENTRYPOINT), keep.reasonOf(p("/usr/bin/tool")));
    assertFalse(keep.contains(p("/usr/lib/tool-interp")));
    assertEquals(KeepReason.ELF_NEEDED, keep.excluded().get(p("/usr/lib/tool-interp")).wouldKeep());
  }

  @Test
  void preservedTreeIsKeptAsItIsWithoutItsClosure() throws Exception {
    KeepSet keep = select(includes(IncludeRule.preserve("/opt/keep")), List.of());
    assertEquals(Optional.of(KeepReason.PRESERVED), keep.reasonOf(p("/opt/keep/a.txt")));
    assertEquals(Optional.of(KeepReason.PRESERVED), keep.reasonOf(p("/opt/keep/bin/helper")));
    assertFalse(keep.contains(p("/usr/lib/opt-interp")));
    KeepSet included = select(includes(IncludeRule.path("/opt/keep")), List.of());
    assertEquals(Optional.of(KeepReason.ELF_NEEDED), included.reasonOf(p("/usr/lib/opt-interp")));
  }

  @Test
  void includeExeIsFoundOnThePathAndPullsItsClosureEvenPastExcludes() throws Exception {
    KeepRules rules = new KeepRules(List.of(IncludeRule.exe("dash")), List.of(PathGlob.parse("/usr/lib/**")), false,
        List.of());
    KeepSet keep = select(rules, List.of());
    assertEquals(new KeptBecause(KeepReason.INCLUDED, "include rule 1: --include-exe dash"),
        keep.reasons().get(p("/usr/bin/dash")));
    assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p("/bin")), "the PATH entry it was found through");
    assertEquals(new KeptBecause(KeepReason.ELF_NEEDED, "for include rule 1: --include-exe dash"),
        keep.reasons().get(p("/usr/lib/shell-interp")));
  }

  @Test
  void includeBinAndShell() throws Exception {
    KeepSet keep = select(includes(IncludeRule.shell(), IncludeRule.bin("/bin/tool")), List.of());
    assertEquals("include rule 1: --include-shell", keep.reasons().get(p("/usr/bin/dash")).detail());
    assertTrue(keep.contains(p("/usr/bin/sh")));
    assertTrue(keep.contains(p("/usr/lib/shell-interp")));
    assertEquals(Optional.of(KeepReason.ENTRYPOINT),
        keep.reasonOf(p("/usr/bin/tool")), "the first reason found is reported");
    assertEquals(new KeptBecause(KeepReason.ELF_NEEDED, "for include rule 2: --include-bin /bin/tool"),
        keep.reasons().get(p("/usr/lib/tool-interp")));
  }

  @Test
  void certsZoneinfoAndWorkdirKeepWhatExists() throws Exception {
    KeepSet keep = select(includes(IncludeRule.certs(), IncludeRule.zoneinfo(), IncludeRule.workdir()), List.of());
    for (String path : List.of("/etc/ssl/certs/ca.pem", "/etc/ca-certificates.conf",
        "/usr/share/ca-certificates/org/ca.crt", "/usr/share/zoneinfo/Etc/UTC", "/etc/localtime", "/etc/timezone",
        "/app/main.py", "/app/data/seed.json")) {
      assertEquals(Optional.of(KeepReason.INCLUDED), keep.reasonOf(p(path)), path);
    }
    assertEquals("include rule 3: --include-workdir", keep.reasons().get(p("/app/data/seed.json")).detail());
  }

  @Test
  void anIncludeThatFindsNothingFailsUnlessAllowed() throws Exception {
    KeepRuleException e = assertThrows(KeepRuleException.class,
        () -> select(includes(IncludeRule.path("/etc/timezone"), IncludeRule.path("/no/such")), List.of()));
    assertEquals("include rule 2 (--include-path /no/such): not in the image"
        + " (--allow-missing-includes makes this a warning)", e.getMessage());
    assertEquals("include rule 1 (--include-exe nope): no 'nope' on the image's PATH (/bin)"
            + " (--allow-missing-includes makes this a warning)",
        assertThrows(KeepRuleException.class, () -> select(includes(IncludeRule.exe("nope")), List.of())).getMessage());
    assertEquals("include rule 1 (--include-bin /usr/lib): /usr/lib is a directory, not a program"
            + " (--allow-missing-includes makes this a warning)",
        assertThrows(KeepRuleException.class, () -> select(includes(IncludeRule.bin("/usr/lib")), List.of()))
            .getMessage());

    KeepSet keep = select(new KeepRules(List.of(IncludeRule.path("/no/such"), IncludeRule.path("/etc/timezone")),
        List.of(), true, List.of()), List.of());
    assertEquals(List.of("include rule 1 (--include-path /no/such): not in the image"), keep.warnings());
    assertTrue(keep.contains(p("/etc/timezone")));
  }

  @Test
  void workdirAndShellMissing() throws Exception {
    Path layer = new TestLayer().dir("app").file("app/x", "x").writeTo(dir.resolve("bare.tar"));
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(List.of(layer))) {
      KeepSetSelector selector = new KeepSetSelector(fs, config(""), new KeepRules(
          List.of(IncludeRule.shell(), IncludeRule.workdir(), IncludeRule.certs(), IncludeRule.zoneinfo()),
          List.of(), true, List.of()));
      assertEquals(List.of(
          "include rule 1 (--include-shell): the image has no /bin/sh",
          "include rule 2 (--include-workdir): the image sets no WORKDIR",
          "include rule 3 (--include-certs): the image has none of " + String.join(", ", KeepSetSelector.CERT_PATHS),
          "include rule 4 (--include-zoneinfo): the image has none of /usr/share/zoneinfo, /etc/localtime,"
              + " /etc/timezone"),
          selector.select(log(List.of(), List.of())).warnings());
    }
  }

  @Test
  void explainSaysWhyAPathIsKeptOrDropped() throws Exception {
    KeepRules rules = new KeepRules(List.of(IncludeRule.path("/etc/timezone")),
        List.of(PathGlob.parse("/usr/share/doc/**")), false,
        List.of("/etc/timezone", "/usr/share/doc/pkg/README", "/usr/share/doc/pkg/copyright", "/nowhere",
            "/run/app.pid", "/bin/tool", "/etc/../app/main.py"));
    KeepSet keep = select(rules, List.of("/usr/share/doc/pkg/README", "/run/app.pid", "/app/main.py"));
    assertEquals(List.of(
            "/etc/timezone: kept: included (include rule 1: --include-path /etc/timezone)",
            "/usr/share/doc/pkg/README: dropped: matched --exclude-pattern 1 (/usr/share/doc/**), although it was"
                + " observed",
            "/usr/share/doc/pkg/copyright: dropped: not observed, and no rule keeps it",
            "/nowhere: not in the image",
            "/run/app.pid: not in the image: the app opened it, but it was created at run time or lives on a mount",
            "/bin/tool: not an entry of the image: it resolves through /bin to /usr/bin/tool, which is kept:"
                + " entrypoint",
            "/app/main.py: kept: observed"),
        keep.explanations().stream().map(Explanation::toString).toList());
    assertTrue(keep.explanations().get(5).kept());
    assertFalse(keep.explanations().get(1).kept());
  }

  private static List<UnixPath> paths(String... paths) {
    return java.util.Arrays.stream(paths).map(UnixPath::of).toList();
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
