package io.minify.sensor.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real processes of this JVM's user: no root, no Docker. */
class PinnedProcessTest {

  @Test
  void aPinnedProcessIsReadThroughItsFd() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try (PinnedProcess pinned = PinnedProcess.pin((int) child.pid())) {
      assertTrue(pinned.alive());
      assertEquals(Path.of("/"), Files.readSymbolicLink(pinned.root()));
      String stat = Files.readString(pinned.directory().resolve("stat"));
      assertTrue(stat.startsWith(child.pid() + " (sleep) "), stat);
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void onceThePinnedProcessExitedNothingIsReachedThroughThePin() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try (PinnedProcess pinned = PinnedProcess.pin((int) child.pid())) {
      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      // reaped: the number is free for the next process, the pin leads nowhere
      assertFalse(pinned.alive());
      assertThrows(IOException.class, () -> Files.readSymbolicLink(pinned.root()));
      assertThrows(IOException.class, () -> Files.readString(pinned.directory().resolve("status")));
    }
  }

  @Test
  void aPidWithNoProcessIsRefusedWithThePidNamed() throws Exception {
    Process child = new ProcessBuilder("true").start();
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    int gone = (int) child.pid();
    // the number could be handed out again at once, but not in the microseconds this takes
    IOException refused = assertThrows(IOException.class, () -> PinnedProcess.pin(gone).close());
    assertEquals("process " + gone + " exited before it could be pinned", refused.getMessage());
    assertEquals("no process to pin: pid 0", assertThrows(IOException.class, () -> PinnedProcess.pin(0)).getMessage());
  }

  @Test
  void aClosedPinIsNotAlive() throws Exception {
    PinnedProcess self = PinnedProcess.pin((int) ProcessHandle.current().pid());
    assertTrue(self.alive());
    self.close();
    self.close();
    assertFalse(self.alive());
  }
}
