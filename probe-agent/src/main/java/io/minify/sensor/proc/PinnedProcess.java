package io.minify.sensor.proc;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * One process, held by an fd of its {@code /proc/<pid>} directory opened once. A pid number
 * is only a name: once its process exits the kernel may give it to another one, and a path
 * {@code /proc/<pid>/root} built later would then lead into that process's filesystem (on a
 * shared CI host: some other job's). The fd does not follow the number. It stays bound to the
 * process it was opened for, and once that process is gone every lookup through it fails,
 * even when the pid is in use again. So everything read about the process goes through
 * {@link #directory()}, never through the number.
 *
 * <p>The fd proves which process it holds, not that this is the one the caller meant. A
 * caller that learnt the pid from somewhere else (the engine's inspect) asks that source again
 * after pinning, then checks {@link #alive()}: two live processes never share a pid, so if the
 * source still names this pid and the pinned process is alive, they are the same process.
 */
public final class PinnedProcess implements AutoCloseable {

  private final int pid;
  private final int fd;
  private final Path directory;
  private volatile boolean closed;

  private PinnedProcess(int pid, int fd) {
    this.pid = pid;
    this.fd = fd;
    // the JVM's own fd table: /proc/self/fd/N resolves to the pinned directory, not by number
    this.directory = Path.of("/proc/self/fd", String.valueOf(fd));
  }

  /**
   * Pins process {@code pid} of the host's pid namespace.
   *
   * @throws IOException naming the pid when no such process exists (it already exited) or
   *     its {@code /proc} entry cannot be opened
   */
  public static PinnedProcess pin(int pid) throws IOException {
    if (pid <= 0) {
      throw new IOException("no process to pin: pid " + pid);
    }
    int fd = ProcLibc.open("/proc/" + pid, ProcLibc.O_PATH | ProcLibc.O_DIRECTORY | ProcLibc.O_CLOEXEC);
    if (fd < 0) {
      int errno = Native.getLastError();
      if (errno == ProcLibc.ENOENT || errno == ProcLibc.ESRCH) {
        throw new IOException("process " + pid + " exited before it could be pinned");
      }
      throw new IOException("cannot open /proc/" + pid + ": " + ProcLibc.strerror(errno) + " (errno " + errno + ")");
    }
    return new PinnedProcess(pid, fd);
  }

  /** The pid it had when pinned (a name for messages; never for lookups). */
  public int pid() {
    return pid;
  }

  /**
   * The process's {@code /proc} directory through the pinned fd. Paths under it (its
   * {@code root}, {@code status}) name this process only; once it exited they do not exist.
   */
  public Path directory() {
    return directory;
  }

  /** The process's root directory: for a container's init, the container's root filesystem. */
  public Path root() {
    return directory.resolve("root");
  }

  /** Whether the pinned process still runs (a zombie not yet reaped counts as running). */
  public boolean alive() {
    return !closed && Files.exists(directory.resolve("stat"), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true; // alive() is false from here on: fd N may be reused by the JVM for any file
      ProcLibc.close(fd);
    }
  }
}
