package io.minify.sensor.syscall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Trace instances as plain directories with the files the kernel makes in one: what the
 * tracer writes stays there to be read back, and {@code trace_pipe} holds what a test put
 * in (read to its end, as a regular file).
 */
class FakeTracefs implements TraceInstances {

  private final Path instances;
  private final String pipe;
  private final String stats;
  final List<Path> removed = new ArrayList<>();

  FakeTracefs(Path instances, String pipe, String stats) {
    this.instances = instances;
    this.pipe = pipe;
    this.stats = stats;
  }

  @Override
  public Path create(String name) throws IOException {
    Path instance = Files.createDirectory(instances.resolve(name));
    for (String file : List.of("buffer_size_kb", "options/overwrite", "options/event-fork", "set_event_pid",
        FtraceSyscallTracer.EVENT + "/enable", FtraceSyscallTracer.EVENT + "/filter", "trace_marker")) {
      Files.createDirectories(instance.resolve(file).getParent());
      Files.writeString(instance.resolve(file), "");
    }
    Files.writeString(instance.resolve("trace_pipe"), pipe);
    for (String cpu : List.of("cpu0", "cpu1")) {
      Files.createDirectories(instance.resolve("per_cpu").resolve(cpu));
      Files.writeString(instance.resolve("per_cpu").resolve(cpu).resolve("stats"), stats);
    }
    return instance;
  }

  @Override
  public void remove(Path instance) {
    removed.add(instance);
  }

  @Override
  public void removeLeftovers(String prefix, LongPredicate alive) throws IOException {
    Tracefs.removeLeftovers(instances, prefix, alive);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }
}
