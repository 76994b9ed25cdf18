package io.minify.sensor.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartGateTest {

  @TempDir Path parent;

  @Test
  void createsWorldUsableGateDirectory() throws IOException {
    try (StartGate gate = StartGate.create(parent)) {
      Path dir = gate.hostDirectory();
      assertEquals(parent, dir.getParent());
      assertEquals("rwxr-xr-x", perms(dir));
      assertEquals("rwxr-xr-x", perms(dir.resolve("minify-gate")));
      assertEquals("rw-r--r--", perms(dir.resolve("release")));
      assertEquals(0010000, ((int) Files.getAttribute(dir.resolve("release"), "unix:mode")) & 0170000,
          "release must be a FIFO");
      byte[] head = new byte[4];
      try (InputStream in = Files.newInputStream(dir.resolve("minify-gate"))) {
        assertEquals(4, in.read(head));
      }
      assertEquals("\u007fELF", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void wrapPrefixesTheGate() throws IOException {
    try (StartGate gate = StartGate.create(parent)) {
      assertEquals(List.of("/.minify/minify-gate", "nginx", "-g", "daemon off;"),
          gate.wrap(List.of("nginx", "-g", "daemon off;")));
      assertThrows(IllegalArgumentException.class, () -> gate.wrap(List.of()));
    }
  }

  @Test
  void closeDeletesTheDirectoryAndIsIdempotent() throws IOException {
    StartGate gate = StartGate.create(parent);
    Path dir = gate.hostDirectory();
    gate.close();
    assertFalse(Files.exists(dir));
    gate.close();
  }

  @Test
  void releaseWithoutAReaderTimesOut() throws IOException {
    try (StartGate gate = StartGate.create(parent)) {
      IOException e = assertThrows(IOException.class, () -> gate.release(Duration.ofMillis(200)));
      assertTrue(e.getMessage().contains("the container never reached the start gate"), e.getMessage());
      assertFalse(gate.abort(Duration.ofMillis(50)));
    }
  }

  @Test
  void releaseWritesOneByteToAWaitingReader() throws Exception {
    try (StartGate gate = StartGate.create(parent)) {
      CompletableFuture<Integer> reader = readFirstByte(gate);
      gate.release(Duration.ofSeconds(5));
      assertEquals((int) '1', reader.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void abortGivesTheReaderEndOfFile() throws Exception {
    try (StartGate gate = StartGate.create(parent)) {
      CompletableFuture<Integer> reader = readFirstByte(gate);
      assertTrue(gate.abort(Duration.ofSeconds(5)));
      assertEquals(-1, reader.get(5, TimeUnit.SECONDS));
    }
  }

  private static CompletableFuture<Integer> readFirstByte(StartGate gate) {
    return CompletableFuture.supplyAsync(() -> {
      // Opening a FIFO for reading blocks until a writer appears, as in the C gate.
      try (FileInputStream in = new FileInputStream(gate.hostDirectory().resolve("release").toFile())) {
        return in.read();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
