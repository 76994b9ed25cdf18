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

/**
 * A pid really handed to another process while the pin is held. As root, the next pid the
 * kernel gives is set through {@code /proc/sys/kernel/ns_last_pid} (what checkpoint/restore
 * tools use): the pinned process exits, another one starts with its number, and the pin must
 * not lead to it.
 */
class PinnedProcessIT {
  private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

  @Test
  void aPinDoesNotFollowItsPidToTheNextProcess() throws Exception {
    Process first = new ProcessBuilder("sleep", "60").start();
    int pid = (int) first.pid();
    try (PinnedProcess pinned = PinnedProcess.pin(pid)) {
      first.destroyForcibly();
      assertTrue(first.waitFor(10, TimeUnit.SECONDS));
      Process second = startWithPid(pid);
      try {
        assertEquals(pid, second.pid(), "the number is in use again");
        assertTrue(Files.exists(Path.of("/proc", String.valueOf(pid), "stat")), "by number: the new process");
        assertFalse(pinned.alive(), "by the pin: the old one, gone");
        assertThrows(IOException.class, () -> Files.readSymbolicLink(pinned.root()));
        assertThrows(IOException.class, () -> Files.readString(pinned.directory().resolve("cmdline")));
      } finally {
        second.destroyForcibly().waitFor();
      }
    }
  }

  /** Starts {@code sleep} until the kernel gives it {@code pid} (other forks on the host may take it first). */
  private static Process startWithPid(int pid) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      Files.writeString(LAST_PID, String.valueOf(pid - 1));
      Process p = new ProcessBuilder("sleep", "60").start();
      if (p.pid() == pid) {
        return p;
      }
      p.destroyForcibly().waitFor();
    }
    throw new IllegalStateException("pid " + pid + " was not handed out again in 50 attempts");
  }
}
