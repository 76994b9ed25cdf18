package io.minify.sensor.fanotify;

import static io.minify.sensor.fanotify.FanotifyLibc.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.minify.sensor.AccessLog;
import io.minify.sensor.AccessMonitor;
import io.minify.sensor.MonitorOverflowException;
import java.io.IOException;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches every open on one mount with fanotify, from the host. Marking
 * {@code /proc/<pid>/root} marks the container's root filesystem mount; the event fd's
 * {@code /proc/self/fd/N} link then reads as the path inside the container (measured with
 * Docker 20.10 on overlay2: the links carry no host prefix), symlinks resolved.
 *
 * <p>Event choice: {@code FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE | FAN_ONDIR}. FAN_ACCESS
 * is left out on purpose: every file the app reads must have been opened after the mark (the
 * start gate holds the app until we are armed), so FAN_ACCESS adds no path, only one event
 * per read(2), which multiplies the queue load (a 20 MB file read in 4 KiB chunks is 5000
 * events) for nothing. FAN_OPEN_EXEC tells which files were executed (the programs whose
 * OS packages are the app's own); FAN_CLOSE_WRITE which files the app wrote (its state
 * directories); both cost at most one event per file and open. FAN_ONDIR only makes
 * directory opens pass the filter; the
 * kernel does not report it back in fd mode, so files and directories are told apart by
 * the type of the opened file.
 *
 * <p>Queue: FAN_UNLIMITED_QUEUE. We need CAP_SYS_ADMIN for fanotify anyway, and a lost
 * event means a missing file in the slim image; an interpreter importing thousands of
 * modules during a GC pause of this JVM could fill the default 16384-event queue. Loss is
 * still detected (FAN_Q_OVERFLOW, events without an fd, failed reads) and reported as
 * {@link MonitorOverflowException}: unlimited only means "bounded by kernel memory".
 */
public final class FanotifyMonitor implements AccessMonitor {

  private static final long MASK = FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE | FAN_ONDIR;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final byte[] DELETED_SUFFIX = " (deleted)".getBytes(StandardCharsets.US_ASCII);
  /** 16 KiB = 682 events per read; the kernel opens one fd per event, so keep it modest. */
  private static final int BUFFER_SIZE = 16 * 1024;
  private static final int POLL_MILLIS = 100;

  private final Path mount;
  private final int fd;
  private final Thread reader;
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Written only by the reader thread; read by stop() after join() (happens-before).
  private final Set<UnixPath> files = new TreeSet<>();
  private final Set<UnixPath> directories = new TreeSet<>();
  private final Set<UnixPath> executed = new TreeSet<>();
  private final Set<UnixPath> written = new TreeSet<>();
  private long events;
  private String lossReason;
  private IOException readerFailure;

  /**
   * Starts watching {@code mountPath} (for a container: {@code /proc/<pid>/root}). Every open
   * on that mount after this returns is recorded.
   *
   * @throws IOException when fanotify is unavailable, the process lacks root
   *     (CAP_SYS_ADMIN), or the path cannot be marked
   */
  public static FanotifyMonitor watch(Path mountPath) throws IOException {
    FanotifyMonitor monitor = new FanotifyMonitor(mountPath, true);
    monitor.start();
    return monitor;
  }

  /**
   * Arms the mark but does not start reading: tests use a bounded queue and a delayed
   * {@link #start()} to force an overflow.
   */
  FanotifyMonitor(Path mountPath, boolean unlimitedQueue) throws IOException {
    this.mount = mountPath;
    int initFlags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | (unlimitedQueue ? FAN_UNLIMITED_QUEUE : 0);
    // Without FAN_REPORT_FD_ERROR a kernel that cannot open an event's file drops the event and
    // ends the read early with no error: a silent gap (measured on 6.18 under a low open-file
    // limit). With it, the event comes with -errno as its fd and counts as a loss. Kernels
    // before 6.13 refuse the flag; the JVM's open-file limit is its hard limit, far above the
    // 682 events one read takes.
    int fanFd = fanotify_init(initFlags | FAN_REPORT_FD_ERROR, O_RDONLY | O_CLOEXEC);
    if (fanFd < 0 && Native.getLastError() == EINVAL) {
      fanFd = fanotify_init(initFlags, O_RDONLY | O_CLOEXEC);
    }
    if (fanFd < 0) {
      int errno = Native.getLastError();
      if (errno == EPERM) {
        throw new IOException("fanotify_init failed: " + describe(errno)
            + ": watching a container's files needs root (CAP_SYS_ADMIN)");
      }
      if (errno == ENOSYS) {
        throw new IOException("fanotify is not available in this kernel (CONFIG_FANOTIFY): " + describe(errno));
      }
      throw new IOException("fanotify_init failed: " + describe(errno));
    }
    if (fanotify_mark(fanFd, FAN_MARK_ADD | FAN_MARK_MOUNT, MASK, AT_FDCWD, mountPath.toString()) != 0) {
      int errno = Native.getLastError();
      FanotifyLibc.close(fanFd);
      String hint = errno == EINVAL ? " (kernel older than 5.0 without FAN_OPEN_EXEC?)" : "";
      throw new IOException("cannot watch " + mountPath + ": fanotify_mark failed: " + describe(errno) + hint);
    }
    this.fd = fanFd;
    this.reader = new Thread(this::readLoop, "fanotify-reader " + mountPath);
    this.reader.setDaemon(true);
  }

  void start() {
    reader.start();
  }

  /**
   * Stops watching, drains what the kernel already queued and returns the log. Opens that
   * completed before this call are in the log: fanotify queues events synchronously in the
   * opening task.
   */
  @Override
  public AccessLog stop() throws IOException {
    stopRequested.set(true);
    if (reader.getState() == Thread.State.NEW) {
      reader.start(); // stop() before start(): still drain what is queued
    }
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while draining the fanotify queue of " + mount, e);
    }
    close();
    if (readerFailure != null) {
      throw readerFailure;
    }
    if (lossReason != null) {
      throw new MonitorOverflowException("file access events were lost while watching " + mount + " ("
          + lossReason + "): the list of used files is incomplete and a slim image built from it could miss"
          + " files; re-run with less load on the machine");
    }
    return new AccessLog(new TreeSet<>(files), new TreeSet<>(directories), new TreeSet<>(executed),
        new TreeSet<>(written), new TreeSet<>(), events);
  }

  @Override
  public void close() {
    stopRequested.set(true);
    if (reader.isAlive()) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // the fd leaks rather than being closed under a running read
      }
    }
    if (closed.compareAndSet(false, true)) {
      FanotifyLibc.close(fd);
    }
  }

  private void readLoop() {
    Memory buffer = new Memory(BUFFER_SIZE);
    Memory pollFd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
    try {
      while (true) {
        // Read the stop flag BEFORE draining: after it is seen, one more full drain runs,
        // which collects every event queued before stop() was called.
        boolean last = stopRequested.get();
        drain(buffer);
        if (last) {
          return;
        }
        pollFd.setInt(0, fd);
        pollFd.setShort(4, POLLIN);
        pollFd.setShort(6, (short) 0);
        if (poll(pollFd, new NativeLong(1), POLL_MILLIS) < 0 && Native.getLastError() != EINTR) {
          throw new IOException("poll on the fanotify fd failed: " + describe(Native.getLastError()));
        }
      }
    } catch (IOException e) {
      readerFailure = e;
    } catch (RuntimeException | Error e) {
      readerFailure = new IOException("the fanotify reader failed: " + e, e);
    }
  }

  /** Reads until the queue is empty (the fd is non-blocking). */
  private void drain(Memory buffer) throws IOException {
    while (true) {
      long n = read(fd, buffer, new NativeLong(buffer.size())).longValue();
      if (n < 0) {
        int errno = Native.getLastError();
        if (errno == EAGAIN) {
          return;
        }
        if (errno == EINTR) {
          continue;
        }
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) {
          // The kernel could not open an event's file: that event is dropped, so the log
          // is incomplete. Keep reading: the queue still has to be drained.
          lost("read failed: " + describe(errno));
          continue;
        }
        throw new IOException("reading the fanotify queue of " + mount + " failed: " + describe(errno));
      }
      parse(buffer, n);
    }
  }

  private void parse(Memory buffer, long length) throws IOException {
    long offset = 0;
    while (offset + METADATA_LEN <= length) {
      int eventLen = buffer.getInt(offset);
      int version = buffer.getByte(offset + 4) & 0xff;
      if (version != FANOTIFY_METADATA_VERSION) {
        throw new IOException("unsupported fanotify metadata version " + version
            + " (expected " + FANOTIFY_METADATA_VERSION + ")");
      }
      if (eventLen < METADATA_LEN || offset + eventLen > length) {
        throw new IOException("malformed fanotify event of length " + eventLen);
      }
      long mask = buffer.getLong(offset + 8);
      int eventFd = buffer.getInt(offset + 16);
      events++;
      if ((mask & FAN_Q_OVERFLOW) != 0) {
        lost("the kernel queue overflowed (FAN_Q_OVERFLOW)");
      } else if (eventFd == FAN_NOFD) {
        lost("an event arrived without a file descriptor");
      } else if (eventFd < 0) {
        lost("the kernel could not open an event's file: " + describe(-eventFd));
      } else {
        try {
          record(eventFd, mask);
        } finally {
          FanotifyLibc.close(eventFd);
        }
      }
      offset += eventLen;
    }
  }

  private void record(int eventFd, long mask) {
    String link = "/proc/self/fd/" + eventFd;
    byte[] target = new byte[4096 + 1];
    long n = readlink(link, target, new NativeLong(target.length)).longValue();
    if (n < 0 || n >= target.length) {
      lost("cannot resolve " + link + ": " + (n < 0 ? describe(Native.getLastError()) : "path too long"));
      return;
    }
    // File names are bytes: the path stays the bytes of the link, never decoded as text.
    byte[] linkBytes = Arrays.copyOf(target, (int) n);
    // The type comes from the open file itself (stat through the magic link follows it to
    // the event's file, even when unlinked). The FAN_ONDIR bit cannot be used for this: it
    // only filters, the kernel never reports it in fd mode (measured on 6.x, as documented
    // in fanotify_group_event_mask()).
    Map<String, Object> attributes;
    try {
      attributes = Files.readAttributes(Path.of(link), "unix:mode,nlink");
    } catch (IOException e) {
      lost("cannot stat " + UnixPath.display(linkBytes) + " through " + link + ": " + e);
      return;
    }
    int mode = (Integer) attributes.get("mode");
    int links = (Integer) attributes.get("nlink");
    byte[] opened = stripDeletedSuffix(linkBytes, links);
    if (opened.length == 0 || opened[0] != '/') {
      lost("the kernel reported a path that is not absolute: " + UnixPath.display(opened));
      return;
    }
    UnixPath path = UnixPath.ofBytes(opened);
    if ((mode & S_IFMT) == S_IFDIR) {
      directories.add(path);
      return;
    }
    // The kernel merges queued events of one file, so one event may carry several bits.
    if ((mask & (FAN_OPEN | FAN_OPEN_EXEC)) != 0) {
      files.add(path);
    }
    if ((mask & FAN_OPEN_EXEC) != 0) {
      executed.add(path);
    }
    if ((mask & FAN_CLOSE_WRITE) != 0) {
      written.add(path);
    }
  }

  /**
   * The kernel appends " (deleted)" to the link of an unlinked file (a temp file the app
   * removed, or an image file it deleted after opening). The path is still the one that was
   * opened, so the suffix is stripped, but only when the file really has no links left: a
   * file may legitimately be named "x (deleted)".
   */
  static byte[] stripDeletedSuffix(byte[] path, int links) {
    int keep = path.length - DELETED_SUFFIX.length;
    if (links == 0 && keep >= 0 && Arrays.equals(path, keep, path.length, DELETED_SUFFIX, 0, DELETED_SUFFIX.length)) {
      return Arrays.copyOf(path, keep);
    }
    return path;
  }

  private void lost(String reason) {
    if (lossReason == null) {
      lossReason = reason;
    }
  }
}
