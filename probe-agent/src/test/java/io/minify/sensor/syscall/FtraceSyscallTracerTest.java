package io.minify.sensor.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FtraceSyscallTracerTest {

  private static final String QUIET_STATS = "entries: 0\noverrun: 0\ncommit overrun: 0\nbytes: 0\n"
      + "oldest event ts: 0.0\nnow ts: 1.0\ndropped events: 0\nread events: 12\n";

  /** Lines as trace_pipe prints them: the task, its pid, the CPU, flags, time, event and fields. */
  private static final String PIPE = String.join("\n",
      "           nginx-4242    [001] ..... 67735.134079: sys_enter: NR 288 (6, 7ffd, 0, 80800, 0, 0)",
      "           nginx-4242    [001] ..... 67735.134080: sys_enter: NR 0 (7, 7fff, 4, 0, 2, 2)",
      " nginx: worker p-4243    [000] ..... 67735.134081: sys_enter: NR 232 (8, 1, 200, ffffffff, 0, 0)",
      "##### CPU 1 buffer started ####",
      "           <...>-4244    [000] ..... 67735.134082: sys_enter: NR 1073741825 (1, 2, 3, 4, 5, 6)",
      "           <...>-4244    [000] ..... 67735.134083: sys_enter: NR -1 (0, 0, 0, 0, 0, 0)",
      "           nginx-4242    [001] ..... 67735.134084: sys_enter: NR 0 (7, 7fff, 4, 0, 2, 2)",
      "");

  @TempDir
  Path tmp;

  @Test
  void recordsTheNumbersOfTheTracedTreeAndLeavesNothing() throws IOException {
    FakeTracefs tracefs = new FakeTracefs(tmp, PIPE, QUIET_STATS);
    FtraceSyscallTracer tracer = FtraceSyscallTracer.trace(tracefs, "minify-syscalls-1-4242", 4242);
    Path instance = tmp.resolve("minify-syscalls-1-4242");
    SyscallRecording recording = tracer.stop();
    tracer.close();
    assertEquals(new TreeSet<>(List.of(0L, 232L, 288L, 1073741825L)), recording.ids());
    assertEquals(0, recording.lostEvents());
    // the instance was limited to the pid and its children, with a dropping buffer
    assertEquals("4242", FakeTracefs.read(instance.resolve("set_event_pid")));
    assertEquals("1", FakeTracefs.read(instance.resolve("options/event-fork")));
    assertEquals("0", FakeTracefs.read(instance.resolve("options/overwrite")));
    assertEquals(Integer.toString(FtraceSyscallTracer.BUFFER_KB), FakeTracefs.read(instance.resolve("buffer_size_kb")));
    // the event is off at the end, and the filter leaves out what was seen
    assertEquals("0", FakeTracefs.read(instance.resolve(FtraceSyscallTracer.EVENT + "/enable")));
    assertEquals(FtraceSyscallTracer.exclusionFilter(recording.ids()),
        FakeTracefs.read(instance.resolve(FtraceSyscallTracer.EVENT + "/filter")));
    assertEquals(List.of(instance), tracefs.removed);
  }

  @Test
  void theEndMarkerEndsTheTrace() throws IOException {
    String pipe = "  a-1 [000] ..... 1.0: sys_enter: NR 3 (0)\n"
        + "  <...>-9 [000] ..... 1.1: tracing_mark_write: minify-end-";
    // the marker is random per tracer, so a line that only starts like one does not end the trace
    FakeTracefs tracefs = new FakeTracefs(tmp, pipe + "other\n  a-1 [000] ..... 1.2: sys_enter: NR 4 (0)\n",
        QUIET_STATS);
    try (FtraceSyscallTracer tracer = FtraceSyscallTracer.trace(tracefs, "t", 1)) {
      assertEquals(new TreeSet<>(List.of(3L, 4L)), tracer.stop().ids());
    }
  }

  @Test
  void eventsTheKernelDroppedAreCounted() throws IOException {
    String stats = QUIET_STATS.replace("overrun: 0", "overrun: 2").replace("dropped events: 0", "dropped events: 5");
    try (FtraceSyscallTracer tracer = FtraceSyscallTracer.trace(new FakeTracefs(tmp, PIPE, stats), "t", 1)) {
      // two CPUs, each 2 overwritten and 5 dropped
      assertEquals(14, tracer.stop().lostEvents());
    }
  }

  @Test
  void aFailedStartRemovesTheInstance() throws IOException {
    FakeTracefs tracefs = new FakeTracefs(tmp, PIPE, QUIET_STATS) {
      @Override
      public Path create(String name) throws IOException {
        Path instance = super.create(name);
        Files.delete(instance.resolve("options/event-fork")); // a kernel without it
        return instance;
      }
    };
    assertThrows(IOException.class, () -> FtraceSyscallTracer.trace(tracefs, "t", 1));
    assertEquals(List.of(tmp.resolve("t")), tracefs.removed);
  }

  @Test
  void theFactoryRemovesWhatDeadBuildsLeft() throws IOException {
    Files.createDirectory(tmp.resolve("minify-syscalls-999999999-7"));
    Path running = Files.createDirectory(tmp.resolve("minify-syscalls-" + ProcessHandle.current().pid() + "-8"));
    Path someoneElses = Files.createDirectory(tmp.resolve("other-1-2"));
    FakeTracefs tracefs = new FakeTracefs(tmp, PIPE, QUIET_STATS);
    try (SyscallTracer tracer = FtraceSyscallTracer.factory(tracefs, "minify-syscalls").trace(4242)) {
      tracer.stop();
    }
    assertTrue(Files.notExists(tmp.resolve("minify-syscalls-999999999-7")));
    assertTrue(Files.isDirectory(running));
    assertTrue(Files.isDirectory(someoneElses));
    assertTrue(Files.isDirectory(tmp.resolve("minify-syscalls-" + ProcessHandle.current().pid() + "-4242")));
  }

  @Test
  void theFilterLeavesOutRunsAndSingles() {
    SortedSet<Long> ids = new TreeSet<>(List.of(0L, 1L, 2L, 3L, 9L, 11L, 12L));
    assertEquals("(id < 0 || id > 3) && id != 9 && (id < 11 || id > 12)", FtraceSyscallTracer.exclusionFilter(ids));
    assertEquals("", FtraceSyscallTracer.exclusionFilter(new TreeSet<>()));
    // every syscall of x86_64 seen, numbers and x32 alike: still short enough for the kernel
    assertTrue(FtraceSyscallTracer.exclusionFilter(new TreeSet<>(SyscallTable.of(Architecture.X86_64).all().keySet()))
        .length() < FtraceSyscallTracer.MAX_FILTER_CHARS);
  }

  @Test
  void onlyTheTracepointsLinesHaveNumbers() {
    assertEquals(288, number("  nginx-1 [001] ..... 1.0: sys_enter: NR 288 (6, 7ffd)"));
    assertEquals(-1, number("  nginx-1 [001] ..... 1.0: sys_enter: NR -1 (0)"));
    assertEquals(-1, number("  <...>-9 [000] ..... 1.1: tracing_mark_write: sys_enter NR 5"));
    assertEquals(-1, number("CPU:1 [LOST 12 EVENTS]"));
    assertEquals(-1, number("  a-1 [001] ..... 1.0: sys_enter: NR "));
  }

  private static long number(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
    return FtraceSyscallTracer.syscallNumber(bytes, bytes.length);
  }
}
