package io.minify.sensor.fanotify;

import static io.minify.sensor.fanotify.FanotifyLibc.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.management.UnixOperatingSystemMXBean;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import io.minify.sensor.AccessMonitor;
import io.minify.sensor.MonitorOverflowException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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
 *
 * <p>Ignore marks: once an event is recorded, the inode of its fd gets an ignore mark for
 * the bits recorded ({@code FAN_MARK_IGNORED_MASK}, surviving writes), so the kernel queues
 * nothing more for opens that would add nothing: an app that opens its files again and again
 * costs one event per file instead of one per open (100,000 files opened 11 times: 100,004
 * events instead of 1,100,004, and the app's time 1.15x instead of 2.45x its time unwatched;
 * {@code scripts/bench.sh monitor-cost}). The bits not yet seen still come: a file read first
 * and executed or written later is reported as executed or written. A mark is on the inode,
 * not the name, so a regular file with more than one link never gets one: its other names
 * must still be reported when opened. On overlayfs the event fd is an overlay file and the
 * mark goes on the overlay inode, which every later open through the container's root
 * reaches; two names of a hard link in a lower layer are separate overlay inodes (no index),
 * but in the upper layer, or with the index on, they are one, and on other filesystems
 * always. Directories have one name and are always marked. A name the app links to a marked
 * file later is not reported when opened: it is a name the run made, not one of the image's
 * (the image's names of a file are its links when the file is first opened).
 */
public final class FanotifyMonitor implements AccessMonitor {

  private static final long MASK = FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE | FAN_ONDIR;
  /** The bits an event is recorded for, and so the bits an ignore mark may take. */
  private static final long RECORDED_BITS = FAN_OPEN | FAN_OPEN_EXEC | FAN_CLOSE_WRITE;
  /** SURV_MODIFY: a write to the file must not clear the mask (its bits are recorded still). */
  private static final int IGNORE_MARK_FLAGS = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final byte[] DELETED_SUFFIX = " (deleted)".getBytes(StandardCharsets.US_ASCII);
  /** The most events one read takes (one fd each, see {@link #eventsPerRead}). */
  static final int MAX_EVENTS_PER_READ = 4096;
  private static final int POLL_MILLIS = 100;
  private static final int PATH_MAX = 4096;

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
  private boolean ignoreMarksLeft = true;
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
    // before 6.13 refuse the flag; there a read takes no more events than half the fds the
    // JVM has left (eventsPerRead; the JVM raises its open-file limit to the hard limit).
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
    // An event's path is the link /proc/self/fd/N, read relative to this directory: one
    // lookup of N instead of a walk of /proc, self and fd per event.
    int procFds = FanotifyLibc.open("/proc/self/fd", O_RDONLY | O_CLOEXEC);
    try {
      if (procFds < 0) {
        throw new IOException("cannot open /proc/self/fd: " + describe(Native.getLastError()));
      }
      long spareFds = Long.MAX_VALUE;
      if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
        spareFds = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
      }
      EventBuffers buffers = new EventBuffers(procFds, eventsPerRead(spareFds));
      while (true) {
        // Read the stop flag BEFORE draining: after it is seen, one more full drain runs,
        // which collects every event queued before stop() was called.
        boolean last = stopRequested.get();
        drain(buffers);
        if (last) {
          return;
        }
        if (poll(buffers.pollFd(fd), 1, POLL_MILLIS) < 0 && Native.getLastError() != EINTR) {
          throw new IOException("poll on the fanotify fd failed: " + describe(Native.getLastError()));
        }
      }
    } catch (IOException e) {
      readerFailure = e;
    } catch (RuntimeException | Error e) {
      readerFailure = new IOException("the fanotify reader failed: " + e, e);
    } finally {
      if (procFds >= 0) {
        FanotifyLibc.close(procFds);
      }
    }
  }

  /**
   * How many events one read may take. The kernel opens one fd per event it hands over, and
   * an event whose fd it cannot open is lost (reported as such with FAN_REPORT_FD_ERROR;
   * before Linux 6.13 dropped without a word), so a read takes no more events than half the
   * fds this JVM may still open: the other half stays for the rest of the build.
   */
  static int eventsPerRead(long spareFds) {
    return (int) Math.max(1, Math.min(MAX_EVENTS_PER_READ, spareFds / 2));
  }

  /** Reads until the queue is empty (the fd is non-blocking). */
  private void drain(EventBuffers buffers) throws IOException {
    while (true) {
      long n = read(fd, buffers.events, buffers.readSize);
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
      parse(buffers, n);
    }
  }

  private void parse(EventBuffers buffers, long length) throws IOException {
    ByteBuffer view = buffers.eventView;
    int offset = 0;
    while (offset + METADATA_LEN <= length) {
      int eventLen = view.getInt(offset);
      int version = view.get(offset + 4) & 0xff;
      if (version != FANOTIFY_METADATA_VERSION) {
        throw new IOException("unsupported fanotify metadata version " + version
            + " (expected " + FANOTIFY_METADATA_VERSION + ")");
      }
      if (eventLen < METADATA_LEN || offset + eventLen > length) {
        throw new IOException("malformed fanotify event of length " + eventLen);
      }
      long mask = view.getLong(offset + 8);
      int eventFd = view.getInt(offset + 16);
      events++;
      if ((mask & FAN_Q_OVERFLOW) != 0) {
        lost("the kernel queue overflowed (FAN_Q_OVERFLOW)");
      } else if (eventFd == FAN_NOFD) {
        lost("an event arrived without a file descriptor");
      } else if (eventFd < 0) {
        lost("the kernel could not open an event's file: " + describe(-eventFd));
      } else {
        try {
          record(buffers, eventFd, mask);
        } finally {
          FanotifyLibc.close(eventFd);
        }
      }
      offset += eventLen;
    }
  }

  private void record(EventBuffers buffers, int eventFd, long mask) {
    long n = readlinkat(buffers.procFds, buffers.fdName(eventFd), buffers.linkTarget, buffers.linkTarget.size());
    if (n < 0 || n >= buffers.linkTarget.size()) {
      lost("cannot resolve /proc/self/fd/" + eventFd + ": "
          + (n < 0 ? describe(Native.getLastError()) : "path too long"));
      return;
    }
    // File names are bytes: the path stays the bytes of the link, never decoded as text.
    byte[] linkBytes = buffers.linkTarget.getByteArray(0, (int) n);
    // The type comes from the open file itself (statx of the event fd, even when unlinked).
    // The FAN_ONDIR bit cannot be used for this: it only filters, the kernel never reports
    // it in fd mode (measured on 6.x, as documented in fanotify_group_event_mask()).
    if (statx(eventFd, buffers.emptyPath, AT_EMPTY_PATH, STATX_TYPE | STATX_NLINK, buffers.statx) != 0) {
      lost("cannot stat " + UnixPath.display(linkBytes) + " through /proc/self/fd/" + eventFd + ": "
          + describe(Native.getLastError()));
      return;
    }
    if ((buffers.statx.getInt(STATX_MASK_OFFSET) & (STATX_TYPE | STATX_NLINK)) != (STATX_TYPE | STATX_NLINK)) {
      lost("cannot stat " + UnixPath.display(linkBytes) + ": its filesystem did not report its type and links");
      return;
    }
    int mode = buffers.statx.getShort(STATX_MODE_OFFSET) & 0xffff;
    long links = buffers.statx.getInt(STATX_NLINK_OFFSET) & 0xffffffffL;
    byte[] opened = stripDeletedSuffix(linkBytes, links);
    if (opened.length == 0 || opened[0] != '/') {
      lost("the kernel reported a path that is not absolute: " + UnixPath.display(opened));
      return;
    }
    UnixPath path = UnixPath.ofBytes(opened);
    boolean directory = (mode & S_IFMT) == S_IFDIR;
    if (directory) {
      directories.add(path);
    } else {
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
    if (directory || links == 1) {
      ignoreFromNowOn(eventFd, mask & RECORDED_BITS);
    }
  }

  /**
   * Asks the kernel to drop, from now on, the events of {@code bits} on the inode the event
   * fd is open on: they are recorded, and another would only cost the app (the kernel queues
   * an event for every open) and this reader (it opens, resolves and closes an fd for each).
   * The bits not yet seen still come (a file read now and executed or written later).
   * An inode mark covers every name of the inode, so the caller passes only directories and
   * files of one link: a file's second hard link opened later must still be reported. The
   * mark is only a saving, so a failure costs nothing but the saving.
   */
  private void ignoreFromNowOn(int eventFd, long bits) {
    if (!ignoreMarksLeft || bits == 0) {
      return;
    }
    if (fanotify_mark(fd, IGNORE_MARK_FLAGS, bits, eventFd, (Pointer) null) != 0
        && Native.getLastError() == ENOSPC) {
      ignoreMarksLeft = false; // the user's marks are used up (fs.fanotify.max_user_marks)
    }
  }

  /**
   * The kernel appends " (deleted)" to the link of an unlinked file (a temp file the app
   * removed, or an image file it deleted after opening). The path is still the one that was
   * opened, so the suffix is stripped, but only when the file really has no links left: a
   * file may legitimately be named "x (deleted)".
   */
  static byte[] stripDeletedSuffix(byte[] path, long links) {
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

  /**
   * The reader's native memory, allocated once: per event, only the path of a recorded file
   * is allocated. Used by the reader thread only.
   */
  static final class EventBuffers {
    /** An fd of /proc/self/fd. */
    final int procFds;
    final long readSize;
    final Memory events;
    /** The same memory, read through Java's intrinsics rather than a JNI call per field. */
    final ByteBuffer eventView;
    final Memory linkTarget = new Memory(PATH_MAX + 1);
    final Memory statx = new Memory(STATX_SIZE);
    /** "": statx(fd, "", AT_EMPTY_PATH) is fstat without the architecture's struct stat. */
    final Memory emptyPath = new Memory(1);
    private final Memory fdName = new Memory(16);
    private final ByteBuffer fdNameView;
    private final Memory pollFd = new Memory(8); // struct pollfd { int fd; short events; short revents; }

    EventBuffers(int procFds, int eventsPerRead) {
      this.procFds = procFds;
      readSize = (long) eventsPerRead * METADATA_LEN;
      events = new Memory(readSize);
      eventView = events.getByteBuffer(0, readSize).order(ByteOrder.nativeOrder());
      emptyPath.setByte(0, (byte) 0);
      fdNameView = fdName.getByteBuffer(0, fdName.size());
    }

    /** The fd's number in decimal, NUL-terminated, in the same memory every time. */
    Pointer fdName(int fd) {
      int digits = 1;
      for (int rest = fd / 10; rest > 0; rest /= 10) {
        digits++;
      }
      fdNameView.put(digits, (byte) 0);
      int rest = fd;
      for (int i = digits - 1; i >= 0; i--) {
        fdNameView.put(i, (byte) ('0' + rest % 10));
        rest /= 10;
      }
      return fdName;
    }

    Pointer pollFd(int fd) {
      pollFd.setInt(0, fd);
      pollFd.setShort(4, POLLIN);
      pollFd.setShort(6, (short) 0);
      return pollFd;
    }
  }
}
