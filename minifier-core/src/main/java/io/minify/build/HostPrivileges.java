package io.minify.build;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process may use fanotify mount marks, which need CAP_SYS_ADMIN. Checked up
 * front so a user without it gets one clear sentence instead of a failure half way through.
 */
public final class HostPrivileges {

  private static final int CAP_SYS_ADMIN = 21;

  private HostPrivileges() {}

  public static boolean hasSysAdmin() {
    return hasSysAdmin(Path.of("/proc/self/status"));
  }

  static boolean hasSysAdmin(Path procStatus) {
    try {
      for (String line : Files.readAllLines(procStatus)) {
        if (line.startsWith("CapEff:")) {
          return new BigInteger(line.substring(7).trim(), 16).testBit(CAP_SYS_ADMIN);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }
}
