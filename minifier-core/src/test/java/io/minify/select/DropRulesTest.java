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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drop rules on what keep units keep for safety: a Node package and a Python distribution
 * kept whole with their docs, tests, headers, type declarations and caches; a system locale
 * tree; PostgreSQL's bitcode beside its modules.
 */
class DropRulesTest {
  @TempDir
  Path dir;

  private LayeredImageFilesystem image() throws Exception {
    TestLayer layer = new TestLayer()
        .dir("app").file("app/server.js", "require('lib')")
        .dir("app/node_modules").dir("app/node_modules/lib")
        .file("app/node_modules/lib/package.json", "{}")
        .file("app/node_modules/lib/index.js", "module.exports = 1")
        .file("app/node_modules/lib/README.md", "# lib")
        .file("app/node_modules/lib/LICENSE", "MIT")
        .dir("app/node_modules/lib/locale").dir("app/node_modules/lib/locale/de")
        .file("app/node_modules/lib/locale/de/django.po", "msgid").file("app/node_modules/lib/locale/de/django.mo", "MO")
        .file("app/node_modules/lib/history.js", "module.exports = 2")
        .file("app/node_modules/lib/index.d.ts", "export {}")
        .file("app/node_modules/lib/index.js.map", "{}")
        .file("app/node_modules/lib/index.test.js", "test()")
        .dir("app/node_modules/lib/docs").file("app/node_modules/lib/docs/api.html", "<p>")
        .dir("app/node_modules/lib/test").file("app/node_modules/lib/test/a.js", "test()")
        .dir("app/node_modules/lib/src").file("app/node_modules/lib/src/binding.c", "int x;")
        .file("app/node_modules/lib/src/binding.h", "int x;")
        .dir("app/node_modules/lib/build").file("app/node_modules/lib/build/binding.o", "ELF")
        .file("app/node_modules/lib/build/libx.a", "!<arch>")
        .dir("app/node_modules/test").file("app/node_modules/test/index.js", "a package named test")
        .dir("usr").dir("usr/lib").dir("usr/lib/python3").dir("usr/lib/python3/dist-packages")
        .dir("usr/lib/python3/dist-packages/pkg").dir("usr/lib/python3/dist-packages/pkg/__pycache__")
        .file("usr/lib/python3/dist-packages/pkg/__init__.py", "x = 1\n")
        .file("usr/lib/python3/dist-packages/pkg/lazy.py", "y = 2\n")
        .file("usr/lib/python3/dist-packages/pkg/nosource.py", "z = 3\n")
        .file("usr/lib/python3/dist-packages/pkg/__pycache__/__init__.cpython-311.pyc", "PYC")
        .file("usr/lib/python3/dist-packages/pkg/__pycache__/lazy.cpython-311.pyc", "PYC")
        .file("usr/lib/python3/dist-packages/pkg/__pycache__/gone.cpython-311.pyc", "PYC")
        .dir("usr/share").dir("usr/share/tomcat10-docs").dir("usr/share/tomcat10-docs/docs")
        .dir("usr/share/tomcat10-docs/docs/WEB-INF").file("usr/share/tomcat10-docs/docs/WEB-INF/web.xml", "<web-app/>")
        .dir("usr/share/tomcat10-examples").dir("usr/share/tomcat10-examples/examples")
        .file("usr/share/tomcat10-examples/examples/index.html", "<p>")
        .dir("usr/share/locale").dir("usr/share/locale/de").dir("usr/share/locale/de/LC_MESSAGES")
        .file("usr/share/locale/de/LC_MESSAGES/app.mo", "MO")
        .dir("usr/share/locale/fr").dir("usr/share/locale/fr/LC_MESSAGES")
        .file("usr/share/locale/fr/LC_MESSAGES/app.mo", "MO")
        .file("usr/share/locale/locale.alias", "alias")
        .dir("usr/share/man").dir("usr/share/man/man1").file("usr/share/man/man1/app.1.gz", "man")
        .dir("usr/lib/postgresql").dir("usr/lib/postgresql/15").dir("usr/lib/postgresql/15/lib")
        .dir("usr/lib/postgresql/15/lib/bitcode").file("usr/lib/postgresql/15/lib/bitcode/plpgsql.index.bc", "BC");
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("layer.tar"))));
  }

  private static ImageConfig config(String... env) {
    List<String> all = new ArrayList<>(List.of("PATH=/usr/bin:/bin"));
    all.addAll(List.of(env));
    return new ImageConfig(List.of(), List.of("node", "/app/server.js"), all, "", "", List.of("8080/tcp"),
        List.of(), Map.of(), null);
  }

  private static AccessLog log(String... files) {
    TreeSet<UnixPath> opened = new TreeSet<>();
    for (String f : files) {
      opened.add(UnixPath.of(f));
    }
    return new AccessLog(opened, new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), files.length);
  }

  /** The whole trees a unit rule would keep, kept wholesale by a test rule, then the drop rules. */
  private KeepSet select(Set<DropRule> drops, ImageConfig config, AccessLog log, String... wholeTrees)
      throws Exception {
    try (var fs = image()) {
      KeepSelection keep = new KeepSelection(List.of());
      UnitContext ctx = new UnitContext(fs, config, log, java.util.Optional.empty(), keep);
      for (UnixPath p : log.files()) {
        keep.offer(p, KeptBecause.of(KeepReason.OBSERVED));
      }
      for (String tree : wholeTrees) {
        ctx.keepTree(UnixPath.of(tree), new KeptBecause(KeepReason.CODE_UNIT, "test"), p -> false);
      }
      keep.drop(new DropMatcher(drops, config, keep::contains, ctx::isDirectory, false));
      return keep.toKeepSet(List.of(), List.of(), List.of(), List.of());
    }
  }

  private static boolean kept(KeepSet keep, String path) {
    return keep.contains(UnixPath.of(path));
  }

  private static DropRule droppedBy(KeepSet keep, String path) {
    DroppedFile d = keep.dropped().get(UnixPath.of(path));
    return d == null ? null : d.rule();
  }

  @Test
  void aNodePackageKeepsItsCodeAndLosesDocsTestsDeclarationsAndBuildInputs() throws Exception {
    KeepSet keep = select(DropRule.defaults(), config(), log("/app/node_modules/lib/index.js"),
        "/app/node_modules/lib", "/app/node_modules/test");
    assertTrue(kept(keep, "/app/node_modules/lib/package.json"));
    assertTrue(kept(keep, "/app/node_modules/lib/history.js"), "a module named like a doc file is code");
    assertEquals(DropRule.DOCS, droppedBy(keep, "/app/node_modules/lib/README.md"));
    assertEquals(DropRule.DOCS, droppedBy(keep, "/app/node_modules/lib/LICENSE"));
    assertEquals(DropRule.DOCS, droppedBy(keep, "/app/node_modules/lib/docs/api.html"));
    assertEquals(DropRule.DOCS, droppedBy(keep, "/app/node_modules/lib/docs"));
    assertEquals(DropRule.TEST_SUITES, droppedBy(keep, "/app/node_modules/lib/test/a.js"));
    assertEquals(DropRule.TEST_SUITES, droppedBy(keep, "/app/node_modules/lib/index.test.js"));
    assertEquals(DropRule.DEV_FILES, droppedBy(keep, "/app/node_modules/lib/index.d.ts"));
    assertEquals(DropRule.DEV_FILES, droppedBy(keep, "/app/node_modules/lib/index.js.map"));
    assertEquals(DropRule.DEV_FILES, droppedBy(keep, "/app/node_modules/lib/src/binding.c"));
    assertEquals(DropRule.HEADERS, droppedBy(keep, "/app/node_modules/lib/src/binding.h"));
    assertEquals(DropRule.STATIC_ARCHIVES, droppedBy(keep, "/app/node_modules/lib/build/binding.o"));
    assertEquals(DropRule.STATIC_ARCHIVES, droppedBy(keep, "/app/node_modules/lib/build/libx.a"));
    assertTrue(kept(keep, "/app/node_modules/test/index.js"), "a package named test is no test suite");
    assertEquals(DropRule.DEV_FILES, droppedBy(keep, "/app/node_modules/lib/locale/de/django.po"));
    assertTrue(kept(keep, "/app/node_modules/lib/locale/de/django.mo"), "a framework's catalog picked per request");
    assertEquals(DropRule.DOCS, keep.dropped().get(UnixPath.of("/app/node_modules/lib/README.md")).rule());
    assertEquals(KeepReason.CODE_UNIT, keep.dropped().get(UnixPath.of("/app/node_modules/lib/README.md")).wouldKeep());
  }

  @Test
  void whatTheAppOpenedOrSomethingNamesIsNeverDropped() throws Exception {
    KeepSet keep = select(DropRule.defaults(), config(),
        log("/app/node_modules/lib/README.md", "/app/node_modules/lib/test/a.js"), "/app/node_modules/lib");
    assertTrue(kept(keep, "/app/node_modules/lib/README.md"));
    assertTrue(kept(keep, "/app/node_modules/lib/test/a.js"));
    assertEquals(Optional.of(KeepReason.OBSERVED), keep.reasonOf(UnixPath.of("/app/node_modules/lib/test/a.js")));
  }

  @Test
  void webApplicationsNamedDocsOrExamplesAreApps() throws Exception {
    KeepSet keep = select(DropRule.defaults(), config(), log(), "/usr/share/tomcat10-docs",
        "/usr/share/tomcat10-examples");
    assertTrue(kept(keep, "/usr/share/tomcat10-docs/docs/WEB-INF/web.xml"));
    assertTrue(kept(keep, "/usr/share/tomcat10-examples/examples/index.html"));
  }

  @Test
  void eachRuleIsTurnedOffOnItsOwn() throws Exception {
    Set<DropRule> noDocs = EnumSet.complementOf(EnumSet.of(DropRule.DOCS));
    KeepSet keep = select(noDocs, config(), log("/app/node_modules/lib/index.js"), "/app/node_modules/lib");
    assertTrue(kept(keep, "/app/node_modules/lib/README.md"));
    assertEquals(DropRule.TEST_SUITES, droppedBy(keep, "/app/node_modules/lib/test/a.js"));
    KeepSet none = select(Set.of(), config(), log("/app/node_modules/lib/index.js"), "/app/node_modules/lib");
    assertTrue(none.dropped().isEmpty());
  }

  @Test
  void sourceMapsStayWhenNodeIsToldToReadThem() throws Exception {
    KeepSet keep = select(DropRule.defaults(), config("NODE_OPTIONS=--enable-source-maps"),
        log("/app/node_modules/lib/index.js"), "/app/node_modules/lib");
    assertTrue(kept(keep, "/app/node_modules/lib/index.js.map"));
  }

  @Test
  void aBytecodeCacheGoesOnlyWhenItsModuleWasNotImportedAndItsSourceIsKept() throws Exception {
    KeepSet keep = select(DropRule.defaults(), config(),
        log("/usr/lib/python3/dist-packages/pkg/__pycache__/__init__.cpython-311.pyc"),
        "/usr/lib/python3/dist-packages/pkg");
    assertTrue(kept(keep, "/usr/lib/python3/dist-packages/pkg/__pycache__/__init__.cpython-311.pyc"), "imported");
    assertEquals(DropRule.BYTECODE_CACHES,
        droppedBy(keep, "/usr/lib/python3/dist-packages/pkg/__pycache__/lazy.cpython-311.pyc"));
    assertTrue(kept(keep, "/usr/lib/python3/dist-packages/pkg/lazy.py"));
    assertTrue(kept(keep, "/usr/lib/python3/dist-packages/pkg/__pycache__/gone.cpython-311.pyc"),
        "without its source the cache is the module");
  }

  @Test
  void localeCatalogsStayForTheLanguageTheEnvironmentSelects() throws Exception {
    KeepSet c = select(DropRule.defaults(), config("LANG=C.UTF-8"), log("/usr/share/locale/locale.alias"),
        "/usr/share/locale", "/usr/share/man");
    assertEquals(DropRule.LOCALE_CATALOGS, droppedBy(c, "/usr/share/locale/de/LC_MESSAGES/app.mo"));
    assertEquals(DropRule.LOCALE_CATALOGS, droppedBy(c, "/usr/share/locale/fr"));
    assertTrue(kept(c, "/usr/share/locale/locale.alias"));
    assertEquals(DropRule.MAN_PAGES, droppedBy(c, "/usr/share/man/man1/app.1.gz"));
    KeepSet german = select(DropRule.defaults(), config("LANG=de_DE.UTF-8"), log(), "/usr/share/locale");
    assertTrue(kept(german, "/usr/share/locale/de/LC_MESSAGES/app.mo"));
    assertFalse(kept(german, "/usr/share/locale/fr/LC_MESSAGES/app.mo"));
    KeepSet listed = select(DropRule.defaults(), config("LANG=en_US.UTF-8", "LANGUAGE=fr:de"), log(),
        "/usr/share/locale");
    assertTrue(kept(listed, "/usr/share/locale/fr/LC_MESSAGES/app.mo"));
    assertTrue(kept(listed, "/usr/share/locale/de/LC_MESSAGES/app.mo"));
  }

  @Test
  void bitcodeGoesWithoutAJitLibrary() throws Exception {
    KeepSet keep = select(DropRule.defaults(), config(), log(), "/usr/lib/postgresql/15/lib");
    assertEquals(DropRule.LLVM_BITCODE, droppedBy(keep, "/usr/lib/postgresql/15/lib/bitcode/plpgsql.index.bc"));
    try (var fs = image()) {
      KeepSelection sel = new KeepSelection(List.of());
      UnitContext ctx = new UnitContext(fs, config(), log(), java.util.Optional.empty(), sel);
      ctx.keepTree(UnixPath.of("/usr/lib/postgresql/15/lib"), new KeptBecause(KeepReason.APP_PACKAGE, "t"), p -> false);
      sel.drop(new DropMatcher(DropRule.defaults(), config(), sel::contains, ctx::isDirectory, true));
      assertTrue(sel.contains(UnixPath.of("/usr/lib/postgresql/15/lib/bitcode/plpgsql.index.bc")), "JIT kept");
    }
  }

  @Test
  void rulesHaveLabelsAndReasons() {
    for (DropRule rule : DropRule.values()) {
      assertEquals(rule, DropRule.ofLabel(rule.label()).orElseThrow());
      assertFalse(rule.why().isBlank());
    }
    assertEquals("bytecode-caches", DropRule.BYTECODE_CACHES.label());
  }

  @Test
  void interpretersLibraryCodeIsLeftToTheRulesThatReadItsRequires() {
    for (String code : List.of("/usr/lib/x86_64-linux-gnu/perl-base/POSIX.pm",
        "/usr/lib/x86_64-linux-gnu/perl/5.36.0/auto/mro/mro.so", "/usr/lib/python3.11/email/mime.py",
        "/usr/lib/python3/dist-packages/flask/__pycache__/app.cpython-311.pyc", "/usr/lib/ruby/3.1.0/csv.rb",
        "/usr/lib/ruby/vendor_ruby/rack.rb")) {
      assertTrue(AppPackageRule.isLibraryCode(UnixPath.of(code)), code);
    }
    for (String kept : List.of("/usr/lib/cgi-bin/report.pl", "/usr/lib/postgresql/15/lib/plpython3.so",
        "/usr/share/app/tool.py", "/usr/lib/x86_64-linux-gnu/libperl.so.5.36")) {
      assertFalse(AppPackageRule.isLibraryCode(UnixPath.of(kept)), kept);
    }
  }
}
