package io.minify.sensor.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracefsTest {

  @TempDir
  Path tmp;

  @Test
  void eachMissingPieceIsNamed() throws IOException {
    Path root = tmp.resolve("tracing");
    assertEquals("the kernel's tracing filesystem is not mounted at " + root + " (mount -t tracefs nodev " + root
        + ", as root)", refusal(root));
    Files.createDirectories(root.resolve("instances"));
    assertTrue(refusal(root).startsWith("this kernel has no syscall tracepoints"), refusal(root));
    Files.createDirectories(root.resolve(FtraceSyscallTracer.EVENT));
    assertTrue(refusal(root).startsWith("this kernel's tracing has no pid filter that follows forks"), refusal(root));
    Files.createDirectories(root.resolve("options"));
    Files.writeString(root.resolve("options/event-fork"), "0");
    Files.writeString(root.resolve("set_event_pid"), "");
    Tracefs.check(List.of(tmp.resolve("elsewhere"), root));
  }

  @Test
  void leftoversOfLiveOwnersAndOthersStay() throws IOException {
    Path dead = Files.createDirectory(tmp.resolve("minify-syscalls-12-3"));
    Path alive = Files.createDirectory(tmp.resolve("minify-syscalls-13-3"));
    Path odd = Files.createDirectory(tmp.resolve("minify-syscalls-x-3"));
    Path other = Files.createDirectory(tmp.resolve("perf-12-3"));
    Tracefs.removeLeftovers(tmp, "minify-syscalls", pid -> pid == 13);
    assertTrue(Files.notExists(dead));
    assertTrue(Files.isDirectory(alive));
    assertTrue(Files.isDirectory(odd));
    assertTrue(Files.isDirectory(other));
  }

  private static String refusal(Path root) {
    return assertThrows(IOException.class, () -> Tracefs.check(List.of(root))).getMessage();
  }
}
