package io.minify.elf;

import io.minify.path.UnixPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.elf.ElfClosure.MissingDependency;
import io.minify.elf.ElfIdentity.ElfClass;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfDependencyResolverTest {
  private static final String TRIPLET_DIR = "usr/lib/x86_64-linux-gnu";

  @TempDir
  Path tmp;

  /** A Debian bookworm style merged-/usr skeleton. */
  private static TestLayer bookwormSkeleton() throws Exception {
    return new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").dir(TRIPLET_DIR).dir("usr/lib64").dir("etc")
        .symlink("bin", "usr/bin").symlink("lib", "usr/lib").symlink("lib64", "usr/lib64")
        .symlink("usr/lib64/ld-linux-x86-64.so.2", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
  }

  private LayeredImageFilesystem image(TestLayer layer) throws Exception {
    return LayeredImageFilesystem.open(List.of(layer.writeTo(tmp.resolve("layer.tar"))));
  }

  private static byte[] exe(SyntheticElf elf) {
    return elf.interpreter("/lib64/ld-linux-x86-64.so.2").build();
  }

  private static byte[] lib(String... needs) {
    return SyntheticElf.x86_64().needs(needs).build();
  }

  private static TestLayer file(TestLayer layer, String path, byte[] content) throws Exception {
    return layer.file(path, content, 0755, Map.of());
  }

  @Test
  void aRealProgramInsideAMergedUsrImage() throws Exception {
    // gcc's program and the library it finds through DT_RUNPATH $ORIGIN, next to it; a libc
    // and a loader shaped like glibc's (libc needs the loader by its soname)
    TestLayer layer = bookwormSkeleton();
    file(layer, "usr/bin/hello", ElfStripPlanTest.fixture("hello"));
    file(layer, "usr/bin/libgreet.so", ElfStripPlanTest.fixture("libgreet.so"));
    file(layer, TRIPLET_DIR + "/libc.so.6", lib("ld-linux-x86-64.so.2"));
    file(layer, TRIPLET_DIR + "/ld-linux-x86-64.so.2", lib());

    try (var fs = image(layer)) {
      ElfClosure closure = new ElfDependencyResolver(fs, List.of()).closure(paths("/bin/hello"));
      assertEquals(List.of("/usr/bin/hello", "/usr/bin/libgreet.so", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
          "/usr/lib/x86_64-linux-gnu/libc.so.6"), strings(closure.files()));
      assertEquals(List.of("/bin", "/lib", "/lib64", "/usr/lib64/ld-linux-x86-64.so.2"), strings(closure.symlinks()));
      assertEquals(List.of(), closure.missing());
      assertEquals(List.of(), closure.problems());
    }
  }

  @Test
  void searchOrderRpathThenLdLibraryPathThenRunpathThenDefaults() throws Exception {
    TestLayer layer = bookwormSkeleton()
        .dir("opt").dir("opt/r").dir("opt/env").dir("opt/run").dir("app")
        .file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "LD");
    file(layer, "app/with-rpath", exe(SyntheticElf.x86_64().needs("libx.so").rpath("/opt/r")));
    file(layer, "app/with-both", exe(SyntheticElf.x86_64().needs("libx.so", "liby.so").rpath("/opt/r").runpath("/opt/run")));
    file(layer, "opt/r/libx.so", lib());
    file(layer, "opt/env/libx.so", lib());
    file(layer, "opt/run/libx.so", lib());
    file(layer, "opt/run/liby.so", lib());
    file(layer, TRIPLET_DIR + "/liby.so", lib());

    try (var fs = image(layer)) {
      var resolver = new ElfDependencyResolver(fs, List.of("/opt/env"));
      assertTrue(strings(resolver.closure(paths("/app/with-rpath")).files()).contains("/opt/r/libx.so"));
      // DT_RUNPATH disables DT_RPATH; LD_LIBRARY_PATH comes before DT_RUNPATH.
      List<String> both = strings(resolver.closure(paths("/app/with-both")).files());
      assertTrue(both.contains("/opt/env/libx.so"), both.toString());
      assertTrue(both.contains("/opt/run/liby.so"), both.toString());
      assertTrue(!both.contains("/opt/r/libx.so") && !both.contains("/" + TRIPLET_DIR + "/liby.so"), both.toString());
    }
  }

  @Test
  void originExpansionInheritedRpathAndWrongClassSkipped() throws Exception {
    TestLayer layer = bookwormSkeleton().dir("app").dir("app/bin").dir("app/lib").dir("opt").dir("opt/r")
        .file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "LD");
    file(layer, "app/bin/tool", exe(SyntheticElf.x86_64().needs("liba.so").rpath("${ORIGIN}/../lib:/opt/r")));
    file(layer, "app/lib/liba.so", lib("libb.so")); // no rpath of its own: inherits the program's
    file(layer, "opt/r/libb.so", SyntheticElf.of(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN, ElfIdentity.EM_386).build());
    file(layer, TRIPLET_DIR + "/libb.so", lib());

    try (var fs = image(layer)) {
      ElfClosure closure = new ElfDependencyResolver(fs, List.of()).closure(paths("/app/bin/tool"));
      assertEquals(List.of("/app/bin/tool", "/app/lib/liba.so", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
          "/usr/lib/x86_64-linux-gnu/libb.so"), strings(closure.files()));
    }
  }

  @Test
  void ldSoConfIncludesAreReadFromTheImage() throws Exception {
    TestLayer layer = bookwormSkeleton().dir("etc/ld.so.conf.d").dir("opt").dir("opt/custom")
        .file("etc/ld.so.conf", "# comment\ninclude /etc/ld.so.conf.d/*.conf\n")
        .file("etc/ld.so.conf.d/custom.conf", "/opt/custom   # ours\n")
        .file("etc/ld.so.conf.d/ignored.txt", "/nowhere\n")
        .file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "LD");
    file(layer, "usr/bin/app", exe(SyntheticElf.x86_64().needs("libcustom.so.1", "libgone.so.9")));
    file(layer, "opt/custom/libcustom.so.1", lib());

    try (var fs = image(layer)) {
      ElfClosure closure = new ElfDependencyResolver(fs, List.of()).closure(paths("/bin/app"));
      assertTrue(strings(closure.files()).contains("/opt/custom/libcustom.so.1"), strings(closure.files()).toString());
      assertEquals(List.of(new MissingDependency("libgone.so.9", p("/usr/bin/app"))), closure.missing());
    }
  }

  @Test
  void scriptsPullInTheirInterpreterAndEnvTargets() throws Exception {
    TestLayer layer = bookwormSkeleton()
        .file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "LD")
        .file("usr/bin/run.sh", "#!/bin/sh -e\nexec app\n")
        .file("usr/bin/tool.py", "#!/usr/bin/env -S python3 -u\nprint(1)\n")
        .symlink("usr/bin/sh", "dash").symlink("usr/bin/python3", "python3.11");
    file(layer, "usr/bin/dash", exe(SyntheticElf.x86_64().needs("libc.so.6")));
    file(layer, "usr/bin/env", exe(SyntheticElf.x86_64().needs("libc.so.6")));
    file(layer, "usr/bin/python3.11", exe(SyntheticElf.x86_64().needs("libc.so.6", "libpy.so")));
    file(layer, TRIPLET_DIR + "/libc.so.6", lib());
    file(layer, TRIPLET_DIR + "/libpy.so", lib());

    try (var fs = image(layer)) {
      ElfClosure closure = new ElfDependencyResolver(fs, List.of()).closure(paths("/usr/bin/run.sh", "/usr/bin/tool.py"));
      assertEquals(List.of("/usr/bin/dash", "/usr/bin/env", "/usr/bin/python3.11", "/usr/bin/run.sh",
          "/usr/bin/tool.py", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/libc.so.6",
          "/usr/lib/x86_64-linux-gnu/libpy.so"), strings(closure.files()));
      assertEquals(List.of("/bin", "/lib", "/lib64", "/usr/bin/python3", "/usr/bin/sh", "/usr/lib64/ld-linux-x86-64.so.2"),
          strings(closure.symlinks()));
    }
  }

  @Test
  void muslImagesUseTheMuslPathFile() throws Exception {
    TestLayer layer = new TestLayer().dir("lib").dir("usr").dir("usr/bin").dir("etc").dir("opt").dir("opt/m")
        .file("lib/ld-musl-x86_64.so.1", "MUSL")
        .file("etc/ld-musl-x86_64.path", "/opt/m\n/lib\n");
    file(layer, "usr/bin/app", SyntheticElf.x86_64().interpreter("/lib/ld-musl-x86_64.so.1").needs("libm1.so").build());
    file(layer, "opt/m/libm1.so", lib());
    try (var fs = image(layer)) {
      ElfClosure closure = new ElfDependencyResolver(fs, List.of()).closure(paths("/usr/bin/app"));
      assertEquals(List.of("/lib/ld-musl-x86_64.so.1", "/opt/m/libm1.so", "/usr/bin/app"), strings(closure.files()));
    }
  }

  @Test
  void missingStartPathsAndMalformedFilesAreProblemsNotFailures() throws Exception {
    byte[] broken = SyntheticElf.x86_64().needs("x").build();
    broken = java.util.Arrays.copyOf(broken, 70); // header ok, program headers cut off
    TestLayer layer = bookwormSkeleton().file("usr/bin/text", "just text".getBytes(StandardCharsets.UTF_8), 0644, Map.of());
    file(layer, "usr/bin/broken", broken);
    try (var fs = image(layer)) {
      ElfClosure closure = new ElfDependencyResolver(fs, List.of())
          .closure(paths("/usr/bin/nope", "/usr/bin/text", "/bin/broken"));
      assertEquals(List.of("/usr/bin/broken", "/usr/bin/text"), strings(closure.files()));
      assertEquals(List.of("/bin"), strings(closure.symlinks()));
      assertEquals(List.of("/usr/bin/nope: not found in the image",
          "/usr/bin/broken: malformed ELF file: program header table (offset 64, 112 bytes) lies outside the 70-byte file"),
          closure.problems());
    }
  }

  private static List<UnixPath> paths(String... paths) {
    return java.util.Arrays.stream(paths).map(UnixPath::of).toList();
  }

  private static List<String> strings(List<UnixPath> paths) {
    return paths.stream().map(UnixPath::toString).toList();
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
