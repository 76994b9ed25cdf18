package io.minify.sensor.syscall;

import java.util.Locale;
import java.util.Optional;

/**
 * A machine architecture whose syscall numbers minify can name: the numbers are the kernel's
 * own per architecture, so a recorded number means nothing without it.
 */
public enum Architecture {
  X86_64("x86_64.tbl"),
  AARCH64("aarch64.tbl");

  private final String table;

  Architecture(String table) {
    this.table = table;
  }

  /** The resource of this architecture's table, next to {@link SyscallTable}. */
  String tableResource() {
    return table;
  }

  /** This JVM's architecture, when minify has a table for it. */
  public static Optional<Architecture> host() {
    return of(System.getProperty("os.arch", ""));
  }

  /** The architecture a JVM's {@code os.arch} names ({@code amd64}, {@code x86_64}, {@code aarch64}, {@code arm64}). */
  static Optional<Architecture> of(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> Optional.of(X86_64);
      case "aarch64", "arm64" -> Optional.of(AARCH64);
      default -> Optional.empty();
    };
  }
}
