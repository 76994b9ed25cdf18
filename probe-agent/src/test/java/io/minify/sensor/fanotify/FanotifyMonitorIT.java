package io.minify.sensor.fanotify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import io.minify.sensor.MonitorOverflowException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs root (mount, CAP_SYS_ADMIN for fanotify). Each test watches its own tmpfs, so
 * nothing else on the machine produces events and the paths read back are host paths; one
 * watches a container's root on the Docker engine instead.
 */
class FanotifyMonitorIT {

  /** Long enough for the reader to handle an open's event before the test opens more. */
  private static final long PAUSE_MILLIS = 500;

  @TempDir Path temp;
  private Path mnt;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mnt = Files.createDirectory(temp.resolve("mnt")).toRealPath();
    run("mount", "-t", "tmpfs", "-o", "size=256m,mode=0755", "minify-test", mnt.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", mnt.toString());
  }

  @Test
  void recordsOpenedFilesDirectoriesAndExecutables() throws Exception {
    Path a = Files.writeString(mnt.resolve("a.txt"), "a");
    Path sub = Files.createDirectory(mnt.resolve("sub"));
    Files.writeString(sub.resolve("b.txt"), "b");
    Path untouched = Files.writeString(sub.resolve("untouched.txt"), "c");
    Path link = Files.createSymbolicLink(mnt.resolve("link"), a);
    Path tool = Files.copy(Path.of("/bin/true"), mnt.resolve("tool"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    AccessLog log;
    try (FanotifyMonitor monitor = FanotifyMonitor.watch(mnt)) {
      assertEquals("a", Files.readString(link));
      try (Stream<Path> listing = Files.list(sub)) {
        assertEquals(2, listing.count());
      }
      Process p = new ProcessBuilder(tool.toString()).start();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      Files.writeString(mnt.resolve("created.txt"), "new");
      log = monitor.stop();
    }

    assertTrue(log.files().contains(path(a)), "opened through a symlink, recorded resolved: " + log);
    assertTrue(log.files().contains(path(tool)), "executed: " + log);
    assertTrue(log.files().contains(path(mnt.resolve("created.txt"))), log.toString());
    assertFalse(log.files().contains(path(link)), "symlinks arrive resolved: " + log);
    assertFalse(log.files().contains(path(untouched)), log.toString());
    assertTrue(log.directories().contains(path(sub)), "listed directory: " + log);
    assertFalse(log.files().contains(path(sub)), log.toString());
    assertTrue(log.events() >= 4, log.toString());
    assertTrue(log.executed().contains(path(tool)), "executed: " + log.executed());
    assertFalse(log.executed().contains(path(a)), "only read: " + log.executed());
    assertTrue(log.written().contains(path(mnt.resolve("created.txt"))), "written: " + log.written());
    assertFalse(log.written().contains(path(a)), "only read: " + log.written());
  }

  @Test
  void deletedFilesAreRecordedUnderTheirOriginalPath() throws Exception {
    Path gone = mnt.resolve("gone.txt");
    Path literal = Files.writeString(mnt.resolve("kept (deleted)"), "really named so");
    try (FanotifyMonitor monitor = new FanotifyMonitor(mnt, true)) {
      // The reader is not started yet, so the file is unlinked before its event is read and
      // the kernel reports ".../gone.txt (deleted)".
      Files.writeString(gone, "temporary", StandardCharsets.UTF_8);
      Files.delete(gone);
      Files.readString(literal);
      monitor.start();
      AccessLog log = monitor.stop();
      assertEquals(Set.of(path(literal), path(gone)), log.files(), log.toString());
    }
  }

  @Test
  void aNameThatIsNotUtf8IsRecordedAsItsBytes() throws Exception {
    // Java cannot name such a file, so a shell creates and reads it: "bad", 0xff, ".txt".
    AccessLog log;
    try (FanotifyMonitor monitor = FanotifyMonitor.watch(mnt)) {
      Process p = new ProcessBuilder("sh", "-c", "n=$(printf 'bad\\377.txt'); echo x > \"$n\"; cat \"$n\" >/dev/null")
          .directory(mnt.toFile()).redirectErrorStream(true).start();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      log = monitor.stop();
    }
    byte[] name = "/bad\u00ff.txt".getBytes(StandardCharsets.ISO_8859_1); // 0xff as a single byte
    byte[] mount = mnt.toString().getBytes(StandardCharsets.UTF_8);
    byte[] expected = java.util.Arrays.copyOf(mount, mount.length + name.length);
    System.arraycopy(name, 0, expected, mount.length, name.length);
    assertTrue(log.files().contains(UnixPath.ofBytes(expected)), log.toString());
    assertTrue(log.files().stream().map(UnixPath::toString).anyMatch(s -> s.endsWith("/bad\\xff.txt")), log.toString());
  }

  /**
   * The ignore marks at work: a file seen once makes no event when opened again. The pause
   * lets the reader handle the first opens; were it slower, the opens again would merge
   * into the events still queued, so the count is the same either way.
   */
  @Test
  void openingAFileAgainMakesNoEvent() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      files.add(Files.writeString(mnt.resolve("f" + i), "f" + i));
    }
    AccessLog log;
    try (FanotifyMonitor monitor = FanotifyMonitor.watch(mnt)) {
      for (Path file : files) {
        Files.readAllBytes(file);
      }
      Thread.sleep(PAUSE_MILLIS);
      for (int again = 0; again < 5; again++) {
        for (Path file : files) {
          Files.readAllBytes(file);
        }
      }
      log = monitor.stop();
    }
    assertEquals(20, log.files().size(), log.toString());
    assertEquals(20, log.events(), "one event per file: " + log);
  }

  /**
   * An ignore mark is on the inode, which every hard link of a file shares: a file of more
   * than one link must not get one, or the open of its other name would be missed. Each pause
   * gives the reader time to mark (or wrongly mark) the inode before the next open.
   */
  @Test
  void aFileOpenedThroughItsOtherHardLinkIsReported() throws Exception {
    Path first = Files.writeString(mnt.resolve("first"), "shared");
    Path second = Files.createLink(mnt.resolve("second"), first);
    Path dir = Files.createDirectory(mnt.resolve("dir"));
    Path third = Files.createLink(dir.resolve("third"), first);
    AccessLog log;
    try (FanotifyMonitor monitor = FanotifyMonitor.watch(mnt)) {
      Files.readAllBytes(first);
      Thread.sleep(PAUSE_MILLIS);
      Files.readAllBytes(second);
      Thread.sleep(PAUSE_MILLIS);
      Files.readAllBytes(third);
      log = monitor.stop();
    }
    assertEquals(Set.of(path(first), path(second), path(third)), log.files(), log.toString());
  }

  /** Ignore marks take only the bits seen: a file read first is still reported when executed or written. */
  @Test
  void aFileReadFirstIsReportedWhenExecutedOrWrittenLater() throws Exception {
    Path tool = Files.copy(Path.of("/bin/true"), mnt.resolve("tool"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = Files.writeString(mnt.resolve("data"), "v1");
    AccessLog log;
    try (FanotifyMonitor monitor = FanotifyMonitor.watch(mnt)) {
      Files.readAllBytes(tool);
      Files.readAllBytes(data);
      Thread.sleep(PAUSE_MILLIS);
      Process p = new ProcessBuilder(tool.toString()).start();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      Files.writeString(data, "v2");
      Thread.sleep(PAUSE_MILLIS);
      Files.writeString(data, "v3"); // a write after the write was seen: nothing new, no harm
      log = monitor.stop();
    }
    assertEquals(Set.of(path(tool)), log.executed(), log.toString());
    assertEquals(Set.of(path(data)), log.written(), log.toString());
    assertEquals(Set.of(path(tool), path(data)), log.files(), log.toString());
  }

  /**
   * The same on the real engine's overlayfs, where the event fd is an overlay file: a hard
   * link of the image (perl's two names in Debian 12), a hard link made in the upper layer
   * before the watch, a program read and then run, an image file read and then written (its
   * copy-up happens after the mark). Needs Docker and {@code minify-base:bookworm}.
   */
  @Test
  void onAContainersOverlayRootHardLinksExecsAndWritesAfterAReadAreReported() throws Exception {
    String container = "minify-it-fanotify-" + UUID.randomUUID();
    docker("run", "-d", "--name", container, "--network", "none", "minify-base:bookworm", "sleep", "120");
    try {
      docker("exec", container, "sh", "-c", "echo x > /tmp/a && ln /tmp/a /tmp/b");
      assertEquals("2\n", docker("exec", container, "stat", "-c", "%h", "/usr/bin/perl5.36.0"), "perl's two names");
      String pid = docker("inspect", "-f", "{{.State.Pid}}", container).strip();
      double pause = PAUSE_MILLIS / 1000.0;
      String script = String.join("; ",
          "cat /usr/bin/perl > /dev/null", "sleep " + pause, "cat /usr/bin/perl5.36.0 > /dev/null",
          "cat /tmp/a > /dev/null", "sleep " + pause, "cat /tmp/b > /dev/null",
          "cat /usr/bin/true > /dev/null", "sleep " + pause, "/usr/bin/true",
          "cat /etc/debian_version > /dev/null", "sleep " + pause, "echo changed >> /etc/debian_version");
      AccessLog log;
      try (FanotifyMonitor monitor = FanotifyMonitor.watch(Path.of("/proc", pid, "root"))) {
        docker("exec", container, "sh", "-c", script);
        log = monitor.stop();
      }
      for (String file : List.of("/usr/bin/perl", "/usr/bin/perl5.36.0", "/tmp/a", "/tmp/b", "/usr/bin/true",
          "/etc/debian_version")) {
        assertTrue(log.files().contains(UnixPath.of(file)), file + ": " + log.files());
      }
      assertTrue(log.executed().contains(UnixPath.of("/usr/bin/true")), log.executed().toString());
      assertTrue(log.written().contains(UnixPath.of("/etc/debian_version")), log.written().toString());
    } finally {
      docker("rm", "-f", container);
    }
  }

  @Test
  void overflowOfTheKernelQueueIsAnError() throws Exception {
    int limit = maxQueuedEvents();
    try (FanotifyMonitor monitor = new FanotifyMonitor(mnt, false)) {
      // Bounded queue and no reader: every create is one queued event, so limit + 100
      // distinct files overflow it.
      for (int i = 0; i < limit + 100; i++) {
        Files.createFile(mnt.resolve("f" + i));
      }
      monitor.start();
      MonitorOverflowException e = assertThrows(MonitorOverflowException.class, monitor::stop);
      assertTrue(e.getMessage().contains("FAN_Q_OVERFLOW"), e.getMessage());
      assertTrue(e.getMessage().contains(mnt.toString()), e.getMessage());
    }
  }

  @Test
  void unlimitedQueueDoesNotOverflowUnderTheSameLoad() throws Exception {
    int limit = maxQueuedEvents();
    try (FanotifyMonitor monitor = new FanotifyMonitor(mnt, true)) {
      for (int i = 0; i < limit + 100; i++) {
        Files.createFile(mnt.resolve("f" + i));
      }
      monitor.start();
      AccessLog log = monitor.stop();
      assertEquals(limit + 100, log.files().size());
    }
  }

  @Test
  void stopAndCloseAreSafeToRepeat() throws Exception {
    FanotifyMonitor monitor = FanotifyMonitor.watch(mnt);
    Files.writeString(mnt.resolve("x"), "x");
    assertEquals(1, monitor.stop().files().size());
    monitor.close();
    monitor.close();
  }

  @Test
  void aMissingPathIsAClearError() {
    IOException e = assertThrows(IOException.class, () -> FanotifyMonitor.watch(mnt.resolve("nope")));
    assertTrue(e.getMessage().startsWith("cannot watch " + mnt.resolve("nope")), e.getMessage());
  }

  @Test
  void withoutCapSysAdminTheErrorSaysWhatIsNeeded() throws Exception {
    // A child JVM whose capability bounding set lacks CAP_SYS_ADMIN: as root, execve then
    // leaves it out of the permitted and effective sets.
    Process p = new ProcessBuilder("setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), WatchRootMain.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertTrue(out.contains("needs root (CAP_SYS_ADMIN)"), out);
    assertTrue(out.startsWith("fanotify_init failed: Operation not permitted"), out);
  }

  /**
   * Not Files.readString: it starts with a 1-byte read when the size is 0, and a sysctl
   * file returns end of file for any read at a non-zero offset, so it would yield "1".
   */
  private static int maxQueuedEvents() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("/proc/sys/fs/fanotify/max_queued_events"))) {
      return Integer.parseInt(new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim());
    }
  }

  private static UnixPath path(Path hostPath) {
    return UnixPath.of(hostPath.toString());
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
