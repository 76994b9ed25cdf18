package io.minify.sensor.syscall;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records a process tree's syscalls with a private ftrace instance: the {@code
 * raw_syscalls:sys_enter} tracepoint, limited to the process by {@code set_event_pid}, which
 * {@code options/event-fork} extends to every child and thread it forks.
 *
 * <p>Cost is kept low without losing a syscall: a thread reads the instance's {@code
 * trace_pipe} while the app runs, and each time it learns new syscall numbers it rewrites the
 * event's filter to leave out every number already seen. The kernel then evaluates the filter
 * before it writes an event, so after the first moments of the run (a server makes the same
 * few syscalls over and over) almost nothing reaches the ring buffer or this process. A number
 * not yet seen always passes the filter. What the ring buffer still drops when it is full is
 * counted by the kernel (the {@code per_cpu/cpuN/stats} counters) and reported as lost, never
 * ignored.
 *
 * <p>The reader stops at a marker line this class writes to the instance's {@code
 * trace_marker} (a blocking read of {@code trace_pipe} wakes only for data), and the instance is
 * removed on {@link #close()} once the reader has let go of it.
 */
public final class FtraceSyscallTracer implements SyscallTracer {

  /** The tracepoint, relative to tracefs or an instance. */
  static final String EVENT = "events/raw_syscalls/sys_enter";

  /** A filter the kernel takes must fit in a page; past that the reader stops narrowing it. */
  static final int MAX_FILTER_CHARS = 4000;

  /** Per-CPU ring buffer size: enough for the burst of a start before the filter narrows. */
  static final int BUFFER_KB = 2048;

  private static final Duration READER_TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] EVENT_TAG = "sys_enter: NR ".getBytes(StandardCharsets.US_ASCII);

  private final TraceInstances instances;
  private final Path instance;
  private final String endMarker = "minify-end-" + UUID.randomUUID();
  private final SortedSet<Long> seen = new TreeSet<>();
  private final AtomicReference<IOException> readFailure = new AtomicReference<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread reader;

  private FtraceSyscallTracer(TraceInstances instances, Path instance) {
    this.instances = instances;
    this.instance = instance;
    this.reader = new Thread(this::readPipe, "minify-syscall-trace");
    this.reader.setDaemon(true);
  }

  /**
   * The factory on {@code instances}; an instance is named {@code <prefix>-<this process's
   * pid>-<traced pid>}, so what a killed build left can be told from a running build's.
   * Instances of this prefix whose process no longer runs are removed first: a forgotten one
   * keeps the tracepoint on for every syscall of the host.
   */
  public static SyscallTracer.Factory factory(TraceInstances instances, String prefix) {
    long self = ProcessHandle.current().pid();
    return pid -> {
      instances.removeLeftovers(prefix, owner -> ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false));
      return trace(instances, prefix + "-" + self + "-" + pid, pid);
    };
  }

  /**
   * Makes instance {@code name}, limits it to {@code pid} and its children, enables the
   * tracepoint and starts reading. Nothing is left in tracefs when this throws.
   */
  public static FtraceSyscallTracer trace(TraceInstances instances, String name, int pid) throws IOException {
    Path instance = instances.create(name);
    FtraceSyscallTracer tracer = new FtraceSyscallTracer(instances, instance);
    try {
      write(instance.resolve("buffer_size_kb"), Integer.toString(BUFFER_KB));
      // a full buffer drops the newest events and counts them, rather than overwriting unread ones
      write(instance.resolve("options/overwrite"), "0");
      write(instance.resolve("options/event-fork"), "1");
      write(instance.resolve("set_event_pid"), Integer.toString(pid));
      write(instance.resolve(EVENT).resolve("enable"), "1");
      tracer.reader.start();
      return tracer;
    } catch (IOException | RuntimeException e) {
      try {
        tracer.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public SyscallRecording stop() throws IOException {
    write(instance.resolve(EVENT).resolve("enable"), "0");
    endReader();
    IOException failed = readFailure.get();
    if (failed != null) {
      throw new IOException("reading the syscall trace failed: " + failed.getMessage(), failed);
    }
    synchronized (seen) {
      return new SyscallRecording(seen, lostEvents());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      write(instance.resolve(EVENT).resolve("enable"), "0");
    } catch (IOException e) {
      // the instance goes next, and the event with it
    }
    try {
      endReader();
      instances.remove(instance);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the trace instance " + instance + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ends the reader: the marker wakes its blocked read and tells it where the trace ends. The
   * marker is written again while the reader runs, since a full buffer refuses it.
   */
  private void endReader() throws IOException {
    long deadline = System.nanoTime() + READER_TIMEOUT.toNanos();
    while (reader.isAlive()) {
      try {
        mark(endMarker);
      } catch (IOException e) {
        // full, or the reader already gone: try again until the deadline
      }
      try {
        reader.join(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while ending the syscall trace reader");
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the syscall trace reader did not end within " + READER_TIMEOUT.toSeconds() + " s");
      }
    }
  }

  /** The reader thread: trace_pipe to its end marker (or end of file), numbers into {@link #seen}. */
  private void readPipe() {
    byte[] marker = endMarker.getBytes(StandardCharsets.US_ASCII);
    try (InputStream pipe = Files.newInputStream(instance.resolve("trace_pipe"))) {
      byte[] buffer = new byte[64 * 1024];
      byte[] line = new byte[4096];
      int lineLength = 0;
      while (!ended.get()) {
        int n = pipe.read(buffer);
        if (n < 0) {
          break;
        }
        List<Long> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b != '\n') {
            if (lineLength < line.length) {
              line[lineLength++] = b;
            }
            continue;
          }
          if (indexOf(line, lineLength, marker) >= 0) {
            ended.set(true);
            break;
          }
          long id = syscallNumber(line, lineLength);
          if (id >= 0) {
            found.add(id);
          }
          lineLength = 0;
        }
        boolean added;
        synchronized (seen) {
          added = seen.addAll(found);
        }
        if (added && !ended.get()) {
          narrowFilter();
        }
      }
    } catch (IOException e) {
      readFailure.set(e);
    } finally {
      ended.set(true);
    }
  }

  /**
   * Leaves out of the event every number seen so far. Only a speed-up: a filter the kernel
   * refuses, or one too long to write, leaves the last one in place, which lets through more
   * than needed, never less.
   */
  private void narrowFilter() {
    String filter;
    synchronized (seen) {
      filter = exclusionFilter(seen);
    }
    if (filter.length() > MAX_FILTER_CHARS) {
      return;
    }
    try {
      write(instance.resolve(EVENT).resolve("filter"), filter);
    } catch (IOException e) {
      // keep the broader filter
    }
  }

  /**
   * The ftrace filter that passes every number but {@code ids}: runs of consecutive numbers as
   * one range test, so a filter over a few hundred syscalls stays short and cheap to evaluate.
   */
  static String exclusionFilter(SortedSet<Long> ids) {
    StringBuilder filter = new StringBuilder();
    Long runStart = null;
    Long previous = null;
    for (long id : ids) {
      if (previous != null && id == previous + 1) {
        previous = id;
        continue;
      }
      appendRun(filter, runStart, previous);
      runStart = id;
      previous = id;
    }
    appendRun(filter, runStart, previous);
    return filter.toString();
  }

  private static void appendRun(StringBuilder filter, Long start, Long end) {
    if (start == null) {
      return;
    }
    if (filter.length() > 0) {
      filter.append(" && ");
    }
    if (start.equals(end)) {
      filter.append("id != ").append(start);
    } else {
      filter.append("(id < ").append(start).append(" || id > ").append(end).append(')');
    }
  }

  /**
   * The number of a {@code trace_pipe} line of the tracepoint ({@code "... sys_enter: NR 232
   * (4, ...)"}); -1 for any other line (a marker, a "lost events" notice) or a negative number
   * (a syscall the kernel could not decode has none to allow).
   */
  static long syscallNumber(byte[] line, int length) {
    int at = indexOf(line, length, EVENT_TAG);
    if (at < 0) {
      return -1;
    }
    long id = 0;
    int digits = 0;
    for (int i = at + EVENT_TAG.length; i < length && line[i] >= '0' && line[i] <= '9' && digits < 12; i++) {
      id = id * 10 + (line[i] - '0');
      digits++;
    }
    return digits == 0 ? -1 : id;
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Events the kernel dropped or overwrote in this instance, over all CPUs ({@code dropped
   * events:} and {@code overrun:} of each {@code per_cpu/cpuN/stats}).
   */
  private long lostEvents() throws IOException {
    long lost = 0;
    try (DirectoryStream<Path> cpus = Files.newDirectoryStream(instance.resolve("per_cpu"), "cpu*")) {
      for (Path cpu : cpus) {
        for (String line : Files.readAllLines(cpu.resolve("stats"), StandardCharsets.US_ASCII)) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String key = line.substring(0, colon).strip();
          if (key.equals("overrun") || key.equals("dropped events")) {
            lost += Long.parseLong(line.substring(colon + 1).strip());
          }
        }
      }
    }
    return lost;
  }

  /**
   * One write(2) of the whole value, as tracefs files take it; never creating a file (a
   * missing one is a kernel without that switch).
   */
  private static void write(Path file, String value) throws IOException {
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Appends a line to the instance's {@code trace_marker}. */
  private void mark(String text) throws IOException {
    Files.write(instance.resolve("trace_marker"), text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }
}
