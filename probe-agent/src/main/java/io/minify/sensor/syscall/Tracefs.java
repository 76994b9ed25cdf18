package io.minify.sensor.syscall;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The kernel's tracing filesystem on this host, where {@link FtraceSyscallTracer} makes its
 * instances. Looked for where the kernel mounts it ({@code /sys/kernel/tracing}, or below
 * debugfs on older setups); {@link #check} says in one sentence why it cannot be used.
 */
public final class Tracefs implements TraceInstances {

  private static final List<Path> MOUNT_POINTS = List.of(Path.of("/sys/kernel/tracing"),
      Path.of("/sys/kernel/debug/tracing"));

  private final Path root;

  private Tracefs(Path root) {
    this.root = root;
  }

  /**
   * This host's tracefs, when this process can make instances there with the
   * {@code raw_syscalls} event and a pid filter that follows forks.
   *
   * @throws IOException saying what is missing (not mounted, no permission, a kernel without
   *     the syscall tracepoints)
   */
  public static Tracefs host() throws IOException {
    return check(MOUNT_POINTS);
  }

  static Tracefs check(List<Path> mountPoints) throws IOException {
    Optional<Path> mounted = mountPoints.stream().filter(p -> Files.isDirectory(p.resolve("instances"))).findFirst();
    if (mounted.isEmpty()) {
      throw new IOException("the kernel's tracing filesystem is not mounted at " + mountPoints.get(0)
          + " (mount -t tracefs nodev " + mountPoints.get(0) + ", as root)");
    }
    Path root = mounted.get();
    if (!Files.isDirectory(root.resolve(FtraceSyscallTracer.EVENT))) {
      throw new IOException("this kernel has no syscall tracepoints (" + root.resolve(FtraceSyscallTracer.EVENT)
          + " is missing: CONFIG_FTRACE_SYSCALLS)");
    }
    if (!Files.exists(root.resolve("set_event_pid")) || !Files.exists(root.resolve("options/event-fork"))) {
      throw new IOException("this kernel's tracing has no pid filter that follows forks (set_event_pid,"
          + " options/event-fork in " + root + ")");
    }
    if (!Files.isWritable(root.resolve("instances"))) {
      throw new IOException("cannot make trace instances in " + root.resolve("instances") + " (needs root)");
    }
    return new Tracefs(root);
  }

  @Override
  public void removeLeftovers(String prefix, LongPredicate alive) throws IOException {
    removeLeftovers(root.resolve("instances"), prefix, alive);
  }

  /** {@link #removeLeftovers(String, LongPredicate)} in {@code instances}. */
  static void removeLeftovers(Path instances, String prefix, LongPredicate alive) throws IOException {
    try (DirectoryStream<Path> all = Files.newDirectoryStream(instances, prefix + "-*")) {
      for (Path instance : all) {
        String rest = instance.getFileName().toString().substring(prefix.length() + 1);
        int dash = rest.indexOf('-');
        String owner = dash < 0 ? rest : rest.substring(0, dash);
        if (!owner.matches("[0-9]{1,10}") || alive.test(Long.parseLong(owner))) {
          continue;
        }
        try {
          Files.delete(instance);
        } catch (IOException e) {
          // still held open by someone: not ours to force
        }
      }
    }
  }

  @Override
  public Path create(String name) throws IOException {
    return Files.createDirectory(root.resolve("instances").resolve(name));
  }

  @Override
  public void remove(Path instance) throws IOException {
    // rmdir(2): the kernel frees the instance, its files go with it
    Files.delete(instance);
  }
}
