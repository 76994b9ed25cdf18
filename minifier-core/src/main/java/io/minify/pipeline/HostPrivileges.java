package io.minify.pipeline;

import io.minify.run.ProcStatus;
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
    return ProcStatus.mask(procStatus, "CapEff").map(m -> m.testBit(CAP_SYS_ADMIN)).orElse(false);
  }
}
