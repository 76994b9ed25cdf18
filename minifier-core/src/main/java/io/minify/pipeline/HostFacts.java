package io.minify.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this host says about its processes, so a build can name itself on what it creates and
 * tell later whether the build that made something is still running. The real one is
 * {@link #proc()}; tests use their own.
 */
public interface HostFacts {

  /** This boot's id ({@code /proc/sys/kernel/random/boot_id}); empty when it cannot be read. */
  Optional<String> bootId();

  /**
   * The PID namespace of this process and of the {@code /proc} it reads (the inode number of
   * {@code /proc/self/ns/pid}); empty when unknown. Pids are only comparable within one.
   */
  Optional<String> pidNamespace();

  /** This process's id. */
  long pid();

  /** This process's effective uid; -1 when unknown. */
  int uid();

  /**
   * When process {@code pid} started, in clock ticks after boot (field 22 of
   * {@code /proc/PID/stat}); empty when no process has that pid or it is a zombie (it ended).
   *
   * @throws IOException when it cannot be told (the entry exists but cannot be read)
   */
  OptionalLong startTime(long pid) throws IOException;

  /** The host's {@code /proc}. */
  static HostFacts proc() {
    return new Proc(Path.of("/proc"), ProcessHandle.current().pid());
  }

  /** The facts as a {@code /proc} tree at {@code root} shows them, for process {@code self}. */
  final class Proc implements HostFacts {
    private static final Pattern NAMESPACE = Pattern.compile("pid:\\[(\\d+)\\]");
    private final Path root;
    private final long self;

    Proc(Path root, long self) {
      this.root = root;
      this.self = self;
    }

    @Override
    public Optional<String> bootId() {
      try {
        String id = Files.readString(root.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    @Override
    public Optional<String> pidNamespace() {
      try {
        // a /proc of another namespace (one mounted from elsewhere) names another process "self"
        if (!Files.readSymbolicLink(root.resolve("self")).toString().equals(Long.toString(self))) {
          return Optional.empty();
        }
        Matcher m = NAMESPACE.matcher(Files.readSymbolicLink(root.resolve("self/ns/pid")).toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
      } catch (IOException | UnsupportedOperationException e) {
        return Optional.empty();
      }
    }

    @Override
    public long pid() {
      return self;
    }

    @Override
    public int uid() {
      // "Uid:" real, effective, saved, filesystem
      try {
        for (String line : Files.readAllLines(root.resolve(Long.toString(self)).resolve("status"),
            StandardCharsets.ISO_8859_1)) {
          if (line.startsWith("Uid:")) {
            return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
          }
        }
      } catch (IOException | RuntimeException e) {
        return -1;
      }
      return -1;
    }

    @Override
    public OptionalLong startTime(long pid) throws IOException {
      String stat;
      try {
        stat = Files.readString(root.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
      } catch (NoSuchFileException e) {
        return OptionalLong.empty();
      }
      return parseStat(stat);
    }

    /**
     * The start time in a {@code stat} line: {@code pid (comm) state ppid ...}. The command
     * name may hold spaces and parentheses, so fields count from the last ')'.
     */
    static OptionalLong parseStat(String stat) throws IOException {
      int close = stat.lastIndexOf(')');
      String[] fields = close < 0 ? new String[0] : stat.substring(close + 1).strip().split(" +");
      // fields[0] is field 3 (the state), so field 22 is fields[19]
      if (fields.length < 20) {
        throw new IOException("unexpected /proc stat line: " + stat.strip());
      }
      if (fields[0].equals("Z") || fields[0].equals("X")) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(Long.parseLong(fields[19]));
      } catch (NumberFormatException e) {
        throw new IOException("unexpected start time in /proc stat line: " + stat.strip(), e);
      }
    }
  }
}
