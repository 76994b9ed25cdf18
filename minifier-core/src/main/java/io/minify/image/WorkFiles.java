package io.minify.image;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files of a build's work directory: the image's layers and the slim image hold whatever
 * secrets the image does, so they are mode 0600 from the moment they exist, whatever the
 * umask (another job on a shared CI host must not read them while the build runs).
 */
public final class WorkFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private WorkFiles() {}

  /** Where work directories go without {@code --work-dir}: {@code $TMPDIR}, else the JVM's temp directory. */
  public static Path defaultRoot() {
    return defaultRoot(System.getenv("TMPDIR"), System.getProperty("java.io.tmpdir"));
  }

  /**
   * {@code tmpdir} (the environment's TMPDIR) when set, made absolute, else {@code jvmTmpdir}.
   * The JVM's own temp directory is /tmp on Linux whatever TMPDIR says, and a user (or a CI
   * runner with a small /tmp) sets TMPDIR to say where the large files go.
   */
  static Path defaultRoot(String tmpdir, String jvmTmpdir) {
    return tmpdir == null || tmpdir.isBlank() ? Path.of(jvmTmpdir) : Path.of(tmpdir).toAbsolutePath();
  }

  /** Creates {@code file} (0600; an existing one is truncated and made 0600) and opens it for writing. */
  public static OutputStream create(Path file) throws IOException {
    return Channels.newOutputStream(createChannel(file));
  }

  /** As {@link #create}, as a channel: for a writer that has the kernel copy files into it ({@link FileChannel#transferTo}). */
  public static FileChannel createChannel(Path file) throws IOException {
    // A new file is opened without O_TRUNC: ext4 (auto_da_alloc) writes back every page of a
    // file truncated on open when it is closed, on the closing thread: 0.3 s a gigabyte, for
    // files the build deletes before the kernel would have written them at all
    try {
      return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException exists) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
      return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
  }

  /**
   * Deletes {@code dir} and everything in it, deepest first; nothing to do when it is gone.
   * The caller makes sure nothing still writes into it.
   */
  public static void deleteTree(Path dir) throws IOException {
    // an aborted build's image reader may still be unwinding in the tree: a file it made after
    // the walk leaves the directory not empty, so the walk is tried again
    for (int attempt = 1; ; attempt++) {
      try {
        deleteTreeOnce(dir);
        return;
      } catch (java.nio.file.DirectoryNotEmptyException raced) {
        if (attempt == 5) {
          throw raced;
        }
      }
    }
  }

  private static void deleteTreeOnce(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Makes an existing file 0600 (one copied into the work directory). */
  public static void ownerOnly(Path file) throws IOException {
    Files.setPosixFilePermissions(file, OWNER_ONLY);
  }
}
