package io.minify.shell;

import java.util.Set;

/**
 * The programs that run a POSIX-style shell script, the one list both readers of scripts go
 * by: {@link ShellCommandWords} reads the script of {@code sh -c SCRIPT} for its commands, and
 * a kept script whose {@link Shebang} names one of these is read the same way.
 */
public final class ShellPrograms {

  /**
   * The shells of the sh family (zsh reads such scripts too), and busybox, whose sh and ash
   * applets a "#!/bin/busybox sh" line runs.
   */
  private static final Set<String> NAMES = Set.of("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox");

  private ShellPrograms() {}

  /** Whether {@code program}, a file name as a command word or a "#!" line gives it, runs shell scripts. */
  public static boolean isShell(String program) {
    return NAMES.contains(program);
  }
}
