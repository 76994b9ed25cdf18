package io.minify.sensor.gate;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The few libc calls the start gate needs and Java lacks: mkfifo, and a non-blocking
 * open of a FIFO for writing (Java has no O_NONBLOCK open, and a blocking open would hang
 * forever if the container never reaches the gate). JNA stays inside this package.
 */
final class GateLibc {
  static final int O_WRONLY = 1;
  static final int O_NONBLOCK = 04000; // x86_64 and aarch64 (asm-generic)
  static final int O_CLOEXEC = 02000000;
  static final int EINTR = 4;
  static final int ENXIO = 6;
  static final int EAGAIN = 11;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private GateLibc() {}

  static native int mkfifo(String path, int mode);

  static native int open(String path, int flags);

  static native NativeLong write(int fd, byte[] buffer, NativeLong count);

  static native int close(int fd);

  static native String strerror(int errno);

  static String lastError() {
    int errno = Native.getLastError();
    return strerror(errno) + " (errno " + errno + ")";
  }
}
