package io.minify.sensor.fanotify;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Direct-mapped libc calls for fanotify. Constants are from the Linux UAPI headers
 * (linux/fanotify.h, linux/stat.h, asm-generic/fcntl.h, poll.h); they are the same on x86_64
 * and aarch64. Both are LP64, so size_t and ssize_t are Java longs. The calls of the event
 * loop take native buffers the reader allocates once ({@link com.sun.jna.Pointer}), not
 * Strings or arrays, which JNA would convert or copy on every call. JNA stays inside this
 * package.
 */
final class FanotifyLibc {
  // fanotify_init flags
  static final int FAN_CLOEXEC = 0x00000001;
  static final int FAN_NONBLOCK = 0x00000002;
  static final int FAN_CLASS_NOTIF = 0x00000000;
  static final int FAN_UNLIMITED_QUEUE = 0x00000010;
  /** Linux 6.13: an event whose file the kernel could not open comes with -errno as its fd. */
  static final int FAN_REPORT_FD_ERROR = 0x00002000;

  // fanotify_mark flags
  static final int FAN_MARK_ADD = 0x00000001;
  static final int FAN_MARK_MOUNT = 0x00000010;
  static final int FAN_MARK_IGNORED_MASK = 0x00000020;
  static final int FAN_MARK_IGNORED_SURV_MODIFY = 0x00000040;

  // event mask bits
  static final long FAN_ACCESS = 0x00000001L;
  static final long FAN_CLOSE_WRITE = 0x00000008L;
  static final long FAN_OPEN = 0x00000020L;
  static final long FAN_OPEN_EXEC = 0x00001000L;
  static final long FAN_Q_OVERFLOW = 0x00004000L;
  static final long FAN_ONDIR = 0x40000000L;

  static final int FAN_NOFD = -1;
  static final int FANOTIFY_METADATA_VERSION = 3;
  /** sizeof(struct fanotify_event_metadata). */
  static final int METADATA_LEN = 24;

  // open(2) flags for the event fds. O_LARGEFILE is not passed: the kernel forces it on
  // 64-bit, and its value differs between architectures.
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 02000000;

  static final int AT_FDCWD = -100;
  static final int AT_EMPTY_PATH = 0x1000;

  // statx(2): the fields asked for, and where struct statx holds them
  static final int STATX_TYPE = 0x0001;
  static final int STATX_NLINK = 0x0004;
  static final int STATX_SIZE = 0x100; // sizeof(struct statx)
  static final int STATX_MASK_OFFSET = 0; // __u32 stx_mask
  static final int STATX_NLINK_OFFSET = 16; // __u32 stx_nlink
  static final int STATX_MODE_OFFSET = 28; // __u16 stx_mode
  static final short POLLIN = 0x001;

  static final int EPERM = 1;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int ENOMEM = 12;
  static final int ENOSPC = 28;
  static final int ENFILE = 23;
  static final int EMFILE = 24;
  static final int EINVAL = 22;
  static final int ENOSYS = 38;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private FanotifyLibc() {}

  static native int fanotify_init(int flags, int eventFlags);

  static native int fanotify_mark(int fd, int flags, long mask, int dirfd, String path);

  /** {@code path} null marks the object {@code dirfd} is open on. */
  static native int fanotify_mark(int fd, int flags, long mask, int dirfd, Pointer path);

  static native long read(int fd, Pointer buffer, long count);

  static native int open(String path, int flags);

  static native long readlinkat(int dirfd, Pointer path, Pointer buffer, long size);

  /** glibc 2.28 and later; unlike fstat, the same struct layout on every architecture. */
  static native int statx(int dirfd, Pointer path, int flags, int mask, Pointer statxBuffer);

  static native int poll(Pointer fds, long nfds, int timeoutMillis);

  static native int close(int fd);

  static native String strerror(int errno);

  static String describe(int errno) {
    return strerror(errno) + " (errno " + errno + ")";
  }
}
