package io.minify.select;

import io.minify.path.UnixPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class KeepSetSelectorTest {

  @TempDir
  Path dir;

  private static ImageConfig config(List<String> cmd, String user, List<String> volumes, List<String> env) {
    return new ImageConfig(List.of(), cmd, env, user, "", List.of("8080/tcp"), volumes, Map.of(), null);
  }

  private static KeepSetSelector selector(LayeredImageFilesystem fs, ImageConfig config) {
    return new KeepSetSelector(fs, config, KeepRules.none());
  }

  private static AccessLog log(List<String> files, List<String> dirs) {
    return AccessLog.ofOpens(new TreeSet<>(files.stream().map(UnixPath::of).toList()),
        new TreeSet<>(dirs.stream().map(UnixPath::of).toList()), files.size() + dirs.size());
  }

  /** A merged-/usr layout like Debian bookworm's, with a script app. */
  private LayeredImageFilesystem image() throws Exception {
    Path layer = new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").dir("usr/lib/python3")
        .dir("usr/lib/python3/__pycache__")
        .symlink("bin", "usr/bin").symlink("lib", "usr/lib")
        .file("usr/bin/app", "#!/usr/bin/env python3\n")
        .file("usr/bin/unused", "x")
        .symlink("usr/bin/app-link", "app")
        .symlink("usr/bin/dangling", "nowhere")
        .file("usr/lib/python3/mod.py", "print(1)")
        .file("usr/lib/python3/__pycache__/mod.cpython-311.pyc", "pyc")
        .file("usr/lib/python3/other.py", "x")
        .dir("etc").file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").file("etc/group", "root:x:0:\n")
        .file("etc/hostname.default", "x")
        .dir("data").dir("data/seed").file("data/seed/a.json", "{}")
        .dir("var").dir("var/spool", 01777, 0, 0).dir("var/lib").dir("var/lib/app", 0750, 100, 101)
        .writeTo(dir.resolve("layer.tar"));
    return LayeredImageFilesystem.open(List.of(layer));
  }

  @Test
  void observedFilesComeWithParentsAndTheSymlinksThatLeadToThem() throws Exception {
    try (LayeredImageFilesystem fs = image()) {
      KeepSet keep = selector(fs, config(List.of(), "", List.of(), List.of()))
          .select(log(List.of("/usr/bin/app", "/run/app.pid"), List.of("/usr/lib")));
      assertEquals(Optional.of(KeepReason.OBSERVED), keep.reasonOf(p("/usr/bin/app")));
      assertEquals(Optional.of(KeepReason.OBSERVED), keep.reasonOf(p("/usr/lib")));
      assertEquals(Optional.of(KeepReason.PARENT_DIR), keep.reasonOf(p("/usr/bin")));
      assertEquals(Optional.of(KeepReason.PARENT_DIR), keep.reasonOf(p("/usr")));
      assertEquals(Optional.of(KeepReason.SYMLINK_TO_KEPT), keep.reasonOf(p("/bin")), "merged-/usr link to a kept dir");
      assertEquals(Optional.of(KeepReason.SYMLINK_TO_KEPT), keep.reasonOf(p("/lib")));
      assertEquals(Optional.of(KeepReason.SYMLINK_TO_KEPT), keep.reasonOf(p("/usr/bin/app-link")));
      assertFalse(keep.contains(p("/usr/bin/unused")));
      assertFalse(keep.contains(p("/usr/bin/dangling")));
      assertEquals(paths("/run/app.pid"), keep.observedNotInImage());
    }
  }

  @Test
  void entrypointIsFoundOnTheImagePathThroughSymlinks() throws Exception {
    try (LayeredImageFilesystem fs = image()) {
      KeepSet keep = selector(fs, config(List.of("app", "--serve"), "", List.of(),
          List.of("PATH=/bin:/sbin"))).select(log(List.of(), List.of()));
      assertEquals(Optional.of(KeepReason.ENTRYPOINT), keep.reasonOf(p("/usr/bin/app")));
      assertTrue(keep.contains(p("/bin")));
    }
  }

  @Test
  void userVolumesSpecialDirsAndBytecodeSources() throws Exception {
    try (LayeredImageFilesystem fs = image()) {
      KeepSet keep = selector(fs, config(List.of(), "app", List.of("/data"), List.of()))
          .select(log(List.of("/usr/lib/python3/__pycache__/mod.cpython-311.pyc"), List.of()));
      assertEquals(Optional.of(KeepReason.USER_DB), keep.reasonOf(p("/etc/passwd")));
      assertEquals(Optional.of(KeepReason.USER_DB), keep.reasonOf(p("/etc/group")));
      assertEquals(Optional.of(KeepReason.VOLUME), keep.reasonOf(p("/data/seed/a.json")));
      assertEquals(Optional.of(KeepReason.SPECIAL_DIR), keep.reasonOf(p("/var/spool")));
      assertEquals(Optional.of(KeepReason.SPECIAL_DIR), keep.reasonOf(p("/var/lib/app")));
      assertEquals(Optional.of(KeepReason.PARENT_DIR), keep.reasonOf(p("/var/lib")));
      assertEquals(Optional.of(KeepReason.BYTECODE_SOURCE), keep.reasonOf(p("/usr/lib/python3/mod.py")));
      assertFalse(keep.contains(p("/usr/lib/python3/other.py")));
      assertFalse(keep.contains(p("/etc/hostname.default")));
    }
  }

  @Test
  void withoutUserNoPasswd() throws Exception {
    try (LayeredImageFilesystem fs = image()) {
      KeepSet keep = selector(fs, config(List.of(), "", List.of(), List.of())).select(log(List.of(), List.of()));
      assertFalse(keep.contains(p("/etc/passwd")));
    }
  }

  @Test
  void pythonSourceOfBytecode() {
    assertEquals(Optional.of(p("/a/b/mod.py")), KeepSetSelector.pythonSourceOf(p("/a/b/__pycache__/mod.cpython-311.pyc")));
    assertEquals(Optional.of(p("/a/x.py")), KeepSetSelector.pythonSourceOf(p("/a/__pycache__/x.cpython-311.opt-1.pyc")));
    assertEquals(Optional.empty(), KeepSetSelector.pythonSourceOf(p("/a/mod.pyc")));
    assertEquals(Optional.empty(), KeepSetSelector.pythonSourceOf(p("/a/__pycache__/readme.txt")));
  }

  private static List<UnixPath> paths(String... paths) {
    return java.util.Arrays.stream(paths).map(UnixPath::of).toList();
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
