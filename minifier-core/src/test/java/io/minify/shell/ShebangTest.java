package io.minify.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShebangTest {

  private static Shebang line(String afterMarker) {
    return Shebang.parse(afterMarker).orElseThrow();
  }

  @Test
  void aScriptStartsWithTheMarker() {
    assertTrue(Shebang.startsScript("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(Shebang.startsScript("#".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(Shebang.startsScript(new byte[] {0x7f, 'E', 'L', 'F'}));
  }

  @Test
  void theLineIsTheInterpreterAndItsWords() {
    assertEquals(new Shebang("/bin/sh", List.of("-e")), line("/bin/sh -e\nexec app\n"));
    assertEquals(new Shebang("/bin/bash", List.of()), line("  /bin/bash  \r\n"));
    assertEquals(new Shebang("", List.of()), line("\n"), "no interpreter");
    assertEquals(Optional.empty(), Shebang.parse("/bin/sh"), "no newline: the line is cut");
  }

  @Test
  void theProgramIsTheInterpreterOrWhatEnvRuns() {
    assertEquals("sh", line("/bin/sh -e\n").program());
    assertEquals("python3", line("/usr/bin/env python3\n").program());
    assertEquals("python3", line("/usr/bin/env -S python3 -u\n").program(), "env's options are skipped");
    assertEquals("env", line("/usr/bin/env\n").program());
    assertEquals(Optional.of("ruby"), line("/usr/bin/env ruby -w\n").envCommand());
    assertEquals(Optional.empty(), line("/usr/bin/env -i\n").envCommand());
  }

  @Test
  void shellsAreTheShFamilyAndBusybox() {
    for (String shell : List.of("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox")) {
      assertTrue(ShellPrograms.isShell(shell), shell);
    }
    assertFalse(ShellPrograms.isShell("python3"));
    assertFalse(ShellPrograms.isShell("/bin/sh"), "a file name, not a path");
  }
}
