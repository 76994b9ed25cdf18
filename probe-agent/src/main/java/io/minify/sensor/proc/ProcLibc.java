package io.minify.sensor.proc;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * open(2) with O_PATH, which Java lacks: a directory fd that no file operation of Java can
 * produce, and that outlives the pid number it was opened by. JNA stays inside this package.
 */
final class ProcLibc {
  static final int O_DIRECTORY = 0200000; // x86_64 (asm-generic has the same value)
  static final int O_CLOEXEC = 02000000;
  static final int O_PATH = 010000000;
  static final int ENOENT = 2;
  static final int ESRCH = 3;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private ProcLibc() {}

  static native int open(String path, int flags);

  static native int close(int fd);

  static native String strerror(int errno);
}
