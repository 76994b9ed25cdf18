package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --env-file}: entries, or an IllegalArgumentException naming the first bad line. */
class EnvFileFuzzTest {

  @Test
  void envFiles() {
    Fuzzer.ofText("--env-file", List.of("=", "\n", "\r\n", "\r", "#", " ", "\t", "A", "_1", "PATH=/bin", "\"",
            "'", "$", "export ", "\u0000", "\ufeff"))
        .seeds("# settings\nPATH=/usr/bin:/bin\nGREETING=hello world\n\n  LANG=C.UTF-8\r\nEMPTY=\n",
            "=no-key\n", "NOVALUE\n", "A=1\rB=2", "")
        .allowing(IllegalArgumentException.class)
        // Files.readAllLines and String.lines split at the same terminators.
        .run(text -> RunOptions.envFileEntries(text.lines().toList()));
  }

  @Test
  void badLineIsNamed() {
    assertEquals(List.of("A=1", "B= 2 "), RunOptions.envFileEntries(List.of("# c", "A=1", "", "  B= 2 ")));
    assertEquals("line 2: ",
        assertThrows(IllegalArgumentException.class, () -> RunOptions.envFileEntries(List.of("A=1", "=x")))
            .getMessage().substring(0, 8));
  }
}
