package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateArchiveTest {

  @TempDir
  Path gateDir;

  @Test
  void theGateDirectoryBecomesEntriesUnderItsContainerPathWithTheirModes() throws Exception {
    Path gate = gateDir.resolve("minify-gate");
    Files.write(gate, "\u007fELF gate".getBytes(StandardCharsets.ISO_8859_1));
    Files.setPosixFilePermissions(gate, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path fifo = gateDir.resolve("release");
    new ProcessBuilder("mkfifo", "-m", "0644", fifo.toString()).start().waitFor();

    byte[] tar = GateArchive.of(gateDir, "/.minify");

    List<String> seen = new ArrayList<>();
    TarReader reader = new TarReader(new ByteArrayInputStream(tar));
    for (TarHeader h = reader.next(); h != null; h = reader.next()) {
      String name = new String(h.name(), StandardCharsets.UTF_8);
      seen.add(name + " " + (char) h.typeFlag() + " " + Integer.toOctalString(h.mode()));
      if (name.equals(".minify/minify-gate")) {
        assertArrayEquals(Files.readAllBytes(gate), reader.content().readAllBytes());
      }
    }
    // the FIFO is an entry the engine turns into a node: the gate blocks on it in the container
    assertEquals(List.of(".minify/ 5 755", ".minify/minify-gate 0 755", ".minify/release 6 644"), seen);
  }
}
