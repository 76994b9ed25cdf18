package io.minify.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files of the lint tests; {@code -Dminify.golden.update=true} rewrites them (read the diff). */
final class LintGolden {
  private LintGolden() {}

  static void assertGolden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("minify.golden.update")) {
      Files.writeString(Path.of("src/test/resources/io/minify/lint", name), actual);
    }
    String golden;
    try (InputStream in = LintGolden.class.getResourceAsStream(name)) {
      golden = in == null ? "(missing " + name + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(golden, actual, name);
  }
}
