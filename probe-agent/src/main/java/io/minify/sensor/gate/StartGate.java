package io.minify.sensor.gate;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host side of the start gate: a directory holding the static {@code minify-gate}
 * launcher and the FIFO {@code release}, meant to be bind-mounted read-only at
 * {@link #CONTAINER_DIR}. The container's command is {@link #wrap wrapped} so the gate runs
 * first and blocks on the FIFO; once the monitor is armed, {@link #release} lets it exec
 * the real command.
 *
 * <p>Everything is world-readable (dir and gate 0755, FIFO 0644) because the gate runs as
 * the image's USER, which may be any uid. The FIFO is not world-writable: only the host
 * writes to it, and the container side only reads. Parent directories may stay private
 * (0700): a bind mount exposes the directory itself, not the path leading to it.
 */
public final class StartGate implements Gate {

  /** Where the engine must mount {@link #hostDirectory()} (read-only) in the container. */
  public static final String CONTAINER_DIR = "/.minify";

  /** File names inside the gate directory; the C source hard-codes the FIFO path. */
  static final String GATE_NAME = "minify-gate";
  static final String FIFO_NAME = "release";
  /** The FIFO as the container sees it. */
  public static final String RELEASE_PATH = CONTAINER_DIR + "/" + FIFO_NAME;

  private static final String GATE_RESOURCE = "/io/minify/sensor/gate/" + GATE_NAME;
  private static final Duration RETRY_INTERVAL = Duration.ofMillis(20);

  private final Path directory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StartGate(Path directory) {
    this.directory = directory;
  }

  /**
   * Creates a fresh gate directory under {@code parentDir}: the gate binary from this jar
   * and a FIFO, both with explicit modes (the umask and Java's 0700 temp directories would
   * otherwise lock out a non-root container user).
   */
  public static StartGate create(Path parentDir) throws IOException {
    Path dir = Files.createTempDirectory(parentDir, "minify-gate-");
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path gate = dir.resolve(GATE_NAME);
      try (InputStream in = StartGate.class.getResourceAsStream(GATE_RESOURCE)) {
        if (in == null) {
          throw new IOException("the gate binary " + GATE_RESOURCE
              + " is missing from the classpath (the build compiles it from src/main/c)");
        }
        Files.copy(in, gate, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(gate, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path fifo = dir.resolve(FIFO_NAME);
      if (GateLibc.mkfifo(fifo.toString(), 0644) != 0) {
        throw new IOException("mkfifo " + fifo + " failed: " + GateLibc.lastError());
      }
      Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw-r--r--"));
      return new StartGate(dir);
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** The directory to bind-mount read-only at {@link #CONTAINER_DIR}. */
  @Override
  public Path hostDirectory() {
    return directory;
  }

  /**
   * Compares the FIFO's identity (device and inode), never its content: through a container's
   * root, a path may be the image's own, so nothing there is opened or followed.
   */
  @Override
  public boolean reachedThrough(Path containerRoot) {
    try {
      Object ours = Files.readAttributes(directory.resolve(FIFO_NAME), BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
      Object theirs = Files.readAttributes(containerRoot.resolve(CONTAINER_DIR.substring(1)).resolve(FIFO_NAME),
          BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return ours != null && ours.equals(theirs);
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code command} prefixed by the gate, as the container's entrypoint+cmd. */
  @Override
  public List<String> wrap(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("cannot gate an empty command: the image has neither Entrypoint nor Cmd");
    }
    List<String> wrapped = new ArrayList<>(command.size() + 1);
    wrapped.add(CONTAINER_DIR + "/" + GATE_NAME);
    wrapped.addAll(command);
    return List.copyOf(wrapped);
  }

  /**
   * Lets the gated command start. Waits up to {@code timeout} for the gate to be waiting
   * on the FIFO (the container may still be starting).
   *
   * @throws IOException "the container never reached the start gate" after the timeout
   */
  @Override
  public void release(Duration timeout) throws IOException {
    int fd = openWriter(timeout);
    try {
      NativeLong written = GateLibc.write(fd, new byte[] {'1'}, new NativeLong(1));
      if (written.longValue() != 1) {
        throw new IOException("cannot release the start gate: write failed: " + GateLibc.lastError());
      }
    } finally {
      GateLibc.close(fd);
    }
  }

  /**
   * Makes a waiting gate exit with status 125 without running the command (it reads end
   * of file). Returns false when no gate was waiting within {@code timeout}.
   */
  public boolean abort(Duration timeout) throws IOException {
    try {
      GateLibc.close(openWriter(timeout));
      return true;
    } catch (GateNotReachedException e) {
      return false;
    }
  }

  private int openWriter(Duration timeout) throws IOException {
    Path fifo = directory.resolve(FIFO_NAME);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // O_NONBLOCK: a writer open fails with ENXIO instead of blocking while nobody reads,
      // which is how we poll for the gate without a thread stuck in open(2).
      int fd = GateLibc.open(fifo.toString(), GateLibc.O_WRONLY | GateLibc.O_NONBLOCK | GateLibc.O_CLOEXEC);
      if (fd >= 0) {
        return fd;
      }
      int errno = Native.getLastError();
      if (errno != GateLibc.ENXIO && errno != GateLibc.EINTR) {
        throw new IOException("cannot open the start gate FIFO " + fifo + ": " + GateLibc.strerror(errno));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new GateNotReachedException("the container never reached the start gate within " + timeout
            + " (nothing opened " + CONTAINER_DIR + "/" + FIFO_NAME + "; did it exit early or is the gate mount missing?)");
      }
      try {
        Thread.sleep(RETRY_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the container to reach the start gate", e);
      }
    }
  }

  /** Deletes the gate directory. Safe to call more than once. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      deleteTree(directory);
    }
  }

  private static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the start gate directory " + dir, e);
    }
  }

  /** The timeout case of {@link #openWriter}, so {@link #abort} can tell it apart. */
  private static final class GateNotReachedException extends IOException {
    private static final long serialVersionUID = 1L;

    GateNotReachedException(String message) {
      super(message);
    }
  }
}
