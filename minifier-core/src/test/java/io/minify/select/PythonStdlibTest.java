package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's standard library by import graph: a package the app loaded one module of keeps
 * what its modules import (relative imports too), not the whole package, unless it loads by
 * computed names (encodings; a package calling import_module with a variable).
 */
class PythonStdlibTest {
  private static final String LIB = "usr/lib/python3.11/";

  @TempDir
  Path dir;

  private KeepSet select() throws Exception {
    TestLayer layer = new TestLayer().dir("usr").dir("usr/lib").dir("usr/lib/python3.11")
        .file(LIB + "os.py", "import sys\n")
        .dir(LIB + "email").file(LIB + "email/__init__.py", "def parse():\n    from email.parser import Parser\n")
        .file(LIB + "email/parser.py", "from .feedparser import FeedParser\nfrom . import _policybase\n")
        .file(LIB + "email/feedparser.py", "x = 1\n").file(LIB + "email/_policybase.py", "x = 1\n")
        .file(LIB + "email/mime.py", "never imported\n")
        .dir(LIB + "encodings").file(LIB + "encodings/__init__.py", "x = 1\n")
        .file(LIB + "encodings/idna.py", "x = 1\n").file(LIB + "encodings/cp1250.py", "x = 1\n")
        .dir(LIB + "plugins").file(LIB + "plugins/__init__.py", "import importlib\ndef load(n):\n"
            + "    return importlib.import_module('plugins.' + n)\n")
        .file(LIB + "plugins/a.py", "x = 1\n")
        .dir("app").file("app/main.py", "import email\nimport plugins\n\"x\".encode(\"idna\")\n");
    ImageConfig config = new ImageConfig(List.of(), List.of("python3", "/app/main.py"), List.of("PATH=/usr/bin"), "",
        "", List.of(), List.of(), Map.of(), null);
    TreeSet<UnixPath> opened = new TreeSet<>();
    for (String f : List.of("/app/main.py", "/" + LIB + "os.py", "/" + LIB + "email/__init__.py",
        "/" + LIB + "encodings/__init__.py", "/" + LIB + "plugins/__init__.py")) {
      opened.add(UnixPath.of(f));
    }
    AccessLog log = new AccessLog(opened, new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), 5);
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("l.tar"))))) {
      return new KeepSetSelector(fs, config, KeepRules.none().withUnits(EnumSet.of(KeepUnit.INTERPRETER_STDLIB)))
          .select(log);
    }
  }

  @Test
  void aLoadedPackageKeepsWhatItsModulesImportNotItsOtherModules() throws Exception {
    KeepSet keep = select();
    assertTrue(keep.contains(UnixPath.of("/" + LIB + "email/parser.py")), "imported inside a function");
    assertTrue(keep.contains(UnixPath.of("/" + LIB + "email/feedparser.py")), "from .feedparser import ...");
    assertTrue(keep.contains(UnixPath.of("/" + LIB + "email/_policybase.py")), "from . import _policybase");
    assertFalse(keep.contains(UnixPath.of("/" + LIB + "email/mime.py")), "nothing imports it");
  }

  @Test
  void packagesThatImportByComputedNamesStayWhole() throws Exception {
    KeepSet keep = select();
    assertTrue(keep.contains(UnixPath.of("/" + LIB + "encodings/cp1250.py")), "a codec is imported by its name");
    assertTrue(keep.contains(UnixPath.of("/" + LIB + "plugins/a.py")), "import_module('plugins.' + n)");
  }
}
