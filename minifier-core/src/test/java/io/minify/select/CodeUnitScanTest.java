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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeepUnit#CODE_UNITS} keeps what a unit can load, found by reading its code, and the
 * whole unit (or directory) only where a computed load defeats the reading: Node packages,
 * Python distributions and Ruby gems laid out as installers lay them out.
 */
class CodeUnitScanTest {

  @TempDir
  Path dir;

  /** Path to content; parent directories are made as needed. */
  private static Map<String, String> files() {
    Map<String, String> f = new LinkedHashMap<>();
    // --- Node: the app, its declared dependency and the packages it requires
    f.put("app/package.json", "{\"dependencies\":{\"lazy-pkg\":\"1\"}}");
    f.put("app/server.js", "const a = require('dep-a');\nimport cond from 'cond-pkg';\n"
        + "const d = require(\"dyn-pkg\"); const r = require('root-dyn'); require('native-pkg');\n");
    f.put("app/node_modules/lazy-pkg/package.json", "{\"main\":\"index.js\"}");
    f.put("app/node_modules/lazy-pkg/index.js",
        "module.exports = function handler(req) {\n  const x = require('./lib/x');\n  return x(req);\n};\n");
    f.put("app/node_modules/lazy-pkg/lib/x.js", "module.exports = () => require(\"../data/table.json\");\n");
    f.put("app/node_modules/lazy-pkg/data/table.json", "{}");
    f.put("app/node_modules/lazy-pkg/lib/unused.js", "module.exports = 'no one requires me';\n");
    f.put("app/node_modules/lazy-pkg/test/index.test.js", "require('../index');\n");
    f.put("app/node_modules/lazy-pkg/README.md", "# docs\n");
    f.put("app/node_modules/cond-pkg/package.json", "{\"exports\":{\".\":{\"import\":\"./esm/index.mjs\","
        + "\"require\":\"./cjs/index.js\"},\"./feature\":{\"node\":{\"default\":\"./cjs/feature.js\"}},"
        + "\"./plugins/*\":\"./plugins/*.js\",\"./package.json\":\"./package.json\"}}");
    f.put("app/node_modules/cond-pkg/esm/index.mjs", "export * from './util.mjs';\n");
    f.put("app/node_modules/cond-pkg/esm/util.mjs", "export const u = 1;\n");
    f.put("app/node_modules/cond-pkg/cjs/index.js", "module.exports = {};\n");
    f.put("app/node_modules/cond-pkg/cjs/feature.js", "module.exports = 1;\n");
    f.put("app/node_modules/cond-pkg/cjs/internal-unused.js", "module.exports = 2;\n");
    f.put("app/node_modules/cond-pkg/plugins/a.js", "module.exports = 'a';\n");
    f.put("app/node_modules/cond-pkg/docs/guide.md", "guide\n");
    f.put("app/node_modules/dyn-pkg/package.json", "{\"main\":\"lib/index.js\"}");
    f.put("app/node_modules/dyn-pkg/lib/index.js",
        "const load = require('./plugins/load');\nmodule.exports = name => require('./drivers/' + name);\n");
    f.put("app/node_modules/dyn-pkg/lib/drivers/pg.js", "module.exports = 'pg';\n");
    f.put("app/node_modules/dyn-pkg/lib/drivers/mysql.js", "module.exports = 'mysql';\n");
    f.put("app/node_modules/dyn-pkg/lib/plugins/load.js", "module.exports = n => require(n);\n");
    f.put("app/node_modules/dyn-pkg/lib/plugins/extra.js", "module.exports = 'extra';\n");
    f.put("app/node_modules/dyn-pkg/lib/other.js", "module.exports = 'other';\n");
    f.put("app/node_modules/root-dyn/package.json", "{\"main\":\"index.js\"}");
    f.put("app/node_modules/root-dyn/index.js", "module.exports = n => require(`./${n}`);\n");
    f.put("app/node_modules/root-dyn/anything.js", "module.exports = 1;\n");
    f.put("app/node_modules/dep-a/package.json", "{\"main\":\"a.js\"}");
    f.put("app/node_modules/dep-a/a.js",
        "const b = require('dep-b');\nconst fs = require('fs');\nconst p = require('node:path');\n");
    f.put("app/node_modules/dep-b/package.json", "{\"main\":\"main.js\"}");
    f.put("app/node_modules/dep-b/main.js", "module.exports = 'b';\n");
    f.put("app/node_modules/dep-b/other.js", "module.exports = 'not required';\n");
    f.put("app/node_modules/fs/package.json", "{\"main\":\"index.js\"}");
    f.put("app/node_modules/fs/index.js", "a placeholder package named like a builtin");
    f.put("app/node_modules/native-pkg/package.json", "{\"main\":\"index.js\"}");
    f.put("app/node_modules/native-pkg/index.js", "module.exports = require('bindings')('native.node');\n");
    f.put("app/node_modules/native-pkg/build/Release/native.node", "ELF");
    f.put("app/node_modules/native-pkg/src/native.cc", "int main() {}\n");
    f.put("app/node_modules/bindings/package.json", "{\"main\":\"bindings.js\"}");
    f.put("app/node_modules/bindings/bindings.js", "module.exports = name => require(name);\n");
    // --- Python: a standard library marks the interpreter; a distribution with relative imports
    f.put("usr/lib/python3.11/os.py", "import sys\n");
    String site = "usr/lib/python3.11/site-packages/";
    f.put(site + "mypkg/__init__.py", "from . import core\nfrom .sub import helper\n");
    f.put(site + "mypkg/core.py", "from .util import thing\nimport os\n");
    f.put(site + "mypkg/util.py", "thing = 1\n");
    f.put(site + "mypkg/sub/__init__.py", "");
    f.put(site + "mypkg/sub/helper.py", "from .. import util\nfrom ..deep.mod import f\n");
    f.put(site + "mypkg/deep/__init__.py", "");
    f.put(site + "mypkg/deep/mod.py", "def f():\n    pass\n");
    f.put(site + "mypkg/cli.py", "def main():\n    pass\n");
    f.put(site + "mypkg/unreachable.py", "x = 1\n");
    f.put(site + "mypkg/tests/__init__.py", "");
    f.put(site + "mypkg/tests/test_core.py", "from mypkg import core\n");
    f.put(site + "mypkg/templates/page.html", "<p>{{ x }}</p>");
    f.put(site + "mypkg/py.typed", "");
    f.put(site + "mypkg/defaults.json", "{}");
    f.put(site + "mypkg/__pycache__/core.cpython-311.pyc", "bytecode");
    f.put(site + "mypkg/__pycache__/unreachable.cpython-311.pyc", "bytecode");
    f.put(site + "mypkg-1.0.dist-info/top_level.txt", "mypkg\n");
    f.put(site + "mypkg-1.0.dist-info/METADATA", "Name: mypkg\n");
    f.put(site + "mypkg-1.0.dist-info/entry_points.txt", "[console_scripts]\nmy = mypkg.cli:main\n");
    f.put(site + "plugged/__init__.py",
        "import importlib\n\ndef load(name):\n    return importlib.import_module(name)\n");
    f.put(site + "plugged/extra.py", "x = 1\n");
    f.put("srv/app/main.py", "import mypkg\n\ndef route():\n    import plugged\n    return plugged\n");
    // --- Ruby: gems beside their specifications
    String gems = "usr/local/bundle/gems/";
    String specs = "usr/local/bundle/specifications/";
    f.put(specs + "mygem-1.0.gemspec", "s.require_paths = [\"lib\".freeze]\n");
    f.put(gems + "mygem-1.0/lib/mygem.rb", "require 'mygem/version'\nmodule Mygem\n  def self.handle\n"
        + "    [1].each do |x|\n      require 'mygem/lazy'\n    end\n  end\nend\n");
    f.put(gems + "mygem-1.0/lib/mygem/version.rb", "VERSION = '1.0'\n");
    f.put(gems + "mygem-1.0/lib/mygem/lazy.rb", "require_relative 'helpers'\nrequire 'othergem/part'\n");
    f.put(gems + "mygem-1.0/lib/mygem/helpers.rb", "module Helpers; end\n");
    f.put(gems + "mygem-1.0/lib/mygem/unused.rb", "module Unused; end\n");
    f.put(gems + "mygem-1.0/lib/mygem/templates/page.erb", "<%= x %>");
    f.put(gems + "mygem-1.0/test/test_mygem.rb", "require 'mygem'\n");
    f.put(gems + "mygem-1.0/ext/mygem/mygem.c", "int x;\n");
    f.put(gems + "mygem-1.0/data/table.txt", "data read by path");
    f.put(gems + "mygem-1.0/README.md", "docs");
    f.put(specs + "othergem-2.0.gemspec", "spec");
    f.put(gems + "othergem-2.0/lib/othergem.rb", "module Othergem; end\n");
    f.put(gems + "othergem-2.0/lib/othergem/part.rb", "module Part; end\n");
    f.put(gems + "othergem-2.0/lib/othergem/other.rb", "module Other; end\n");
    f.put(specs + "dyngem-1.0.gemspec", "spec");
    f.put(gems + "dyngem-1.0/lib/dyngem.rb", "require 'dyngem/plugins/loader'\n");
    f.put(gems + "dyngem-1.0/lib/dyngem/plugins/loader.rb", "Dir[File.join(__dir__, '*.rb')].each { |f| require f }\n");
    f.put(gems + "dyngem-1.0/lib/dyngem/plugins/p1.rb", "module P1; end\n");
    f.put(gems + "dyngem-1.0/lib/dyngem/core.rb", "module Core; end\n");
    f.put("srv/rb/config.ru", "require 'mygem'\nrequire 'dyngem'\nrun App\n");
    return f;
  }

  private KeepSet select(List<String> observed) throws Exception {
    TestLayer layer = new TestLayer();
    TreeSet<String> dirs = new TreeSet<>();
    for (var e : files().entrySet()) {
      String path = e.getKey();
      for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (dirs.add(path.substring(0, i))) {
          layer.dir(path.substring(0, i));
        }
      }
      layer.file(path, e.getValue());
    }
    TreeSet<UnixPath> files = new TreeSet<>(observed.stream().map(UnixPath::of).toList());
    AccessLog log = new AccessLog(files, new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(List.of(0)),
        files.size());
    ImageConfig config = new ImageConfig(List.of(), List.of("/usr/bin/node", "server.js"), List.of("PATH=/usr/bin"), "",
        "/app", List.of("8080/tcp"), List.of(), Map.of(), null);
    try (var fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("layer.tar"))))) {
      return new KeepSetSelector(fs, config, KeepRules.none().withUnits(EnumSet.of(KeepUnit.CODE_UNITS))).select(log);
    }
  }

  private KeepSet node() throws Exception {
    return select(List.of("/app/server.js", "/app/package.json"));
  }

  private static boolean kept(KeepSet keep, String path) {
    return keep.contains(UnixPath.of(path));
  }

  private static String line(KeepSet keep, String start) {
    return FoundLines.of(keep).get(KeepUnit.CODE_UNITS).stream().filter(l -> l.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + start + " in " + FoundLines.of(keep)));
  }

  @Test
  void aLazyRequireInsideAFunctionIsKeptButNotWhatNothingRequiresNorTheTests() throws Exception {
    KeepSet keep = node();
    String pkg = "/app/node_modules/lazy-pkg/";
    assertTrue(kept(keep, pkg + "index.js"), "main of a dependency the manifest declares");
    assertTrue(kept(keep, pkg + "lib/x.js"), "required inside the handler function");
    assertTrue(kept(keep, pkg + "data/table.json"), "a .json the kept code requires");
    assertTrue(kept(keep, pkg + "package.json"));
    assertFalse(kept(keep, pkg + "lib/unused.js"), "nothing requires it");
    assertFalse(kept(keep, pkg + "test/index.test.js"), "tests are not reached");
    assertFalse(kept(keep, pkg + "README.md"));
    assertEquals("node package /app/node_modules/lazy-pkg, a dependency in /app/package.json",
        keep.reasons().get(UnixPath.of(pkg + "lib/x.js")).detail());
    // package.json, index.js, lib/x.js and data/table.json: 19 + 93 + 54 + 2 bytes
    assertTrue(line(keep, "node package /app/node_modules/lazy-pkg").endsWith(": 4 files, 168 bytes kept by scan"),
        FoundLines.of(keep).toString());
  }

  @Test
  void everyConditionAndPatternOfAnExportsMapIsARoot() throws Exception {
    KeepSet keep = node();
    String pkg = "/app/node_modules/cond-pkg/";
    for (String file : List.of("esm/index.mjs", "esm/util.mjs", "cjs/index.js", "cjs/feature.js", "plugins/a.js")) {
      assertTrue(kept(keep, pkg + file), file);
    }
    assertFalse(kept(keep, pkg + "cjs/internal-unused.js"), "no export names it, no kept file requires it");
    assertFalse(kept(keep, pkg + "docs/guide.md"));
    assertTrue(line(keep, "node package /app/node_modules/cond-pkg").contains("whole: plugins (exports pattern"
        + " ./plugins/*.js)"), FoundLines.of(keep).toString());
  }

  @Test
  void aComputedRequireKeepsItsDirectoryWholeAndTheReportSaysWhy() throws Exception {
    KeepSet keep = node();
    String pkg = "/app/node_modules/dyn-pkg/";
    assertTrue(kept(keep, pkg + "lib/drivers/mysql.js"), "require('./drivers/' + name): the drivers directory");
    assertTrue(kept(keep, pkg + "lib/plugins/extra.js"), "require(n) in lib/plugins/load.js: its directory");
    assertFalse(kept(keep, pkg + "lib/other.js"), "a computed require in a sub-directory does not keep the package");
    assertTrue(line(keep, "node package /app/node_modules/dyn-pkg").endsWith("kept by scan; whole: lib/drivers"
        + " (require with a computed name in lib/index.js), lib/plugins (require with a computed name in"
        + " lib/plugins/load.js)"), FoundLines.of(keep).toString());
    // at the package's root the directory of the file is the package
    assertTrue(kept(keep, "/app/node_modules/root-dyn/anything.js"));
    assertTrue(line(keep, "node package /app/node_modules/root-dyn").contains(": whole (require with a computed name"
        + " in index.js)"), FoundLines.of(keep).toString());
  }

  @Test
  void aBareRequireKeepsTheOtherPackagesEntryButBuiltinsAreNoPackages() throws Exception {
    KeepSet keep = node();
    assertTrue(kept(keep, "/app/node_modules/dep-b/main.js"));
    assertEquals("node package /app/node_modules/dep-b, required by /app/node_modules/dep-a/a.js",
        keep.reasons().get(UnixPath.of("/app/node_modules/dep-b/main.js")).detail());
    assertFalse(kept(keep, "/app/node_modules/dep-b/other.js"));
    assertFalse(kept(keep, "/app/node_modules/fs/index.js"), "require('fs') is Node's own module");
  }

  @Test
  void aNativeAddonFoundByBindingsKeepsTheBuildDirectoryButNotTheSources() throws Exception {
    KeepSet keep = node();
    assertTrue(kept(keep, "/app/node_modules/native-pkg/build/Release/native.node"));
    assertTrue(kept(keep, "/app/node_modules/bindings/bindings.js"));
    assertFalse(kept(keep, "/app/node_modules/native-pkg/src/native.cc"));
  }

  private KeepSet python() throws Exception {
    return select(List.of("/srv/app/main.py", "/usr/lib/python3.11/os.py"));
  }

  @Test
  void relativeImportsAreFollowedAndAnUnreachableModuleIsNotKept() throws Exception {
    KeepSet keep = python();
    String pkg = "/usr/lib/python3.11/site-packages/mypkg/";
    for (String file : List.of("__init__.py", "core.py", "util.py", "sub/__init__.py", "sub/helper.py",
        "deep/__init__.py", "deep/mod.py", "__pycache__/core.cpython-311.pyc")) {
      assertTrue(kept(keep, pkg + file), file);
    }
    assertTrue(kept(keep, pkg + "cli.py"), "an entry point names it");
    assertTrue(kept(keep, "/usr/lib/python3.11/site-packages/mypkg-1.0.dist-info/METADATA"), "metadata is whole");
    assertFalse(kept(keep, pkg + "unreachable.py"));
    assertFalse(kept(keep, pkg + "__pycache__/unreachable.cpython-311.pyc"));
    assertFalse(kept(keep, pkg + "tests/test_core.py"), "a sub-package nothing imports");
    assertEquals("python distribution imported by /srv/app/main.py /usr/lib/python3.11/site-packages/mypkg",
        keep.reasons().get(UnixPath.of(pkg + "deep/mod.py")).detail());
    assertTrue(line(keep, "python distribution imported by /srv/app/main.py /usr/lib/python3.11/site-packages/mypkg:")
        .contains(" kept by scan"), FoundLines.of(keep).toString());
  }

  @Test
  void packageDataBesideKeptModulesIsKept() throws Exception {
    KeepSet keep = python();
    String pkg = "/usr/lib/python3.11/site-packages/mypkg/";
    assertTrue(kept(keep, pkg + "templates/page.html"), "read by a path made from __file__");
    assertTrue(kept(keep, pkg + "py.typed"));
    assertTrue(kept(keep, pkg + "defaults.json"));
  }

  @Test
  void importModuleWithAComputedNameKeepsTheDistributionWhole() throws Exception {
    KeepSet keep = python();
    assertTrue(kept(keep, "/usr/lib/python3.11/site-packages/plugged/extra.py"), "imported lazily in a route");
    assertTrue(line(keep, "python distribution imported by /srv/app/main.py /usr/lib/python3.11/site-packages/plugged")
        .contains(": whole (import_module with a computed name in __init__.py)"), FoundLines.of(keep).toString());
  }

  private KeepSet ruby() throws Exception {
    return select(List.of("/srv/rb/config.ru"));
  }

  @Test
  void aGemsLazyRequireInsideABlockIsKeptButNotItsTestsExtSourcesOrUnusedFiles() throws Exception {
    KeepSet keep = ruby();
    String gem = "/usr/local/bundle/gems/mygem-1.0/";
    for (String file : List.of("lib/mygem.rb", "lib/mygem/version.rb", "lib/mygem/lazy.rb", "lib/mygem/helpers.rb",
        "lib/mygem/templates/page.erb", "data/table.txt")) {
      assertTrue(kept(keep, gem + file), file);
    }
    assertTrue(kept(keep, "/usr/local/bundle/specifications/mygem-1.0.gemspec"));
    assertFalse(kept(keep, gem + "lib/mygem/unused.rb"));
    assertFalse(kept(keep, gem + "test/test_mygem.rb"));
    assertFalse(kept(keep, gem + "ext/mygem/mygem.c"));
    assertFalse(kept(keep, gem + "README.md"));
    // another gem's feature keeps that gem by the same rule
    assertTrue(kept(keep, "/usr/local/bundle/gems/othergem-2.0/lib/othergem/part.rb"));
    assertFalse(kept(keep, "/usr/local/bundle/gems/othergem-2.0/lib/othergem/other.rb"));
    assertTrue(line(keep, "ruby gem /usr/local/bundle/gems/mygem-1.0").contains(" kept by scan"));
  }

  @Test
  void aGemsComputedRequireKeepsThatDirectoryOfLibWhole() throws Exception {
    KeepSet keep = ruby();
    String gem = "/usr/local/bundle/gems/dyngem-1.0/";
    assertTrue(kept(keep, gem + "lib/dyngem/plugins/p1.rb"));
    assertFalse(kept(keep, gem + "lib/dyngem/core.rb"));
    assertTrue(line(keep, "ruby gem /usr/local/bundle/gems/dyngem-1.0").endsWith("whole: lib/dyngem/plugins"
        + " (require with a computed name in lib/dyngem/plugins/loader.rb)"), FoundLines.of(keep).toString());
  }
}
