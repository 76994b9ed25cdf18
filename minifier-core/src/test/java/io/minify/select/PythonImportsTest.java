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
}
