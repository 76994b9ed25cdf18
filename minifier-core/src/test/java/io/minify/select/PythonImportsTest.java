package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonImportsTest {

  private static List<String> of(String source) {
    return List.copyOf(PythonImports.of(source.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyFormOfAbsoluteImport() {
    assertEquals(List.of("os", "sys", "os.path", "json", "email.mime.text", "email.mime.text.MIMEText",
        "collections", "collections.abc", "collections.OrderedDict", "csv", "yaml", "plugins.extra"),
        of("""
            import os, sys as system
            import os.path
            import json; import email.mime.text
            from email.mime.text import MIMEText
            from collections import (abc,
                OrderedDict)
            def handler():
                import csv
                mod = __import__("yaml")
                return importlib.import_module('plugins.extra')
            """));
  }

  @Test
  void relativeImportsAndStarAreLeftOut() {
    assertEquals(List.of("pkg"), of("from . import sibling\nfrom .sub import x\nfrom pkg import *\n"));
  }

  @Test
  void bytesThatAreNotUtf8DoNotStopTheScan() {
    byte[] source = {'#', ' ', (byte) 0xff, '\n', 'i', 'm', 'p', 'o', 'r', 't', ' ', 'z', 'l', 'i', 'b', '\n'};
    assertEquals(List.of("zlib"), List.copyOf(PythonImports.of(source)));
  }

  @Test
  void relativeImportsWithTheirLevel() {
    assertEquals(List.of(new PythonImports.Relative(1, "", List.of("sibling", "other")),
        new PythonImports.Relative(1, "sub", List.of("x")), new PythonImports.Relative(2, "", List.of("z")),
        new PythonImports.Relative(3, "a.b", List.of("c", "d")), new PythonImports.Relative(1, "pkg", List.of()),
        new PythonImports.Relative(1, "plugins", List.of())),
        PythonImports.relative("""
            from . import sibling, other as o
            from .sub import x
            def lazy():
                from .. import z
            from ...a.b import (c,
                d)
            from .pkg import *
            importlib.import_module('.plugins', __package__)
            from absolute import y
            """.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void loadingByComputedNamesIsTold() {
    assertEquals("import_module with a computed name", dynamic("m = importlib.import_module(name)\n"));
    assertEquals("__import__ with a computed name", dynamic("m = __import__('pkg.' + name)\n"));
    assertEquals("import_string with a computed name", dynamic("cls = import_string(path)\n"));
    assertEquals("iter_modules", dynamic("for m in pkgutil.iter_modules(__path__):\n    pass\n"));
    assertEquals("entry_points", dynamic("eps = entry_points(group='x')\n"));
    assertEquals("", dynamic("import_module('json')\nimport_module('.sub', __name__)\nimport_string('a.b:C')\n"));
    assertEquals(List.of("a.b", "a.b.C"), List.copyOf(PythonImports.loaderLiterals(
        "import_string('a.b:C')\n".getBytes(StandardCharsets.UTF_8))));
  }

  private static String dynamic(String source) {
    return PythonImports.dynamicLoading(source.getBytes(StandardCharsets.UTF_8)).orElse("");
  }
}
