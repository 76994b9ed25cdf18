package io.minify.run;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a container's first process catches its stop signal. A namespace's init process
 * (PID 1 inside the container) never gets a signal whose action is the default, so an app
 * without a handler ignores {@code docker stop} and is killed only after the whole grace
 * period: waiting for it is time lost. Read from the host's /proc, like the monitor.
 */
public final class StopSignalDisposition {

  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("SIGHUP", 1), Map.entry("SIGINT", 2), Map.entry("SIGQUIT", 3), Map.entry("SIGKILL", 9),
      Map.entry("SIGUSR1", 10), Map.entry("SIGUSR2", 12), Map.entry("SIGTERM", 15), Map.entry("SIGWINCH", 28),
      Map.entry("SIGPWR", 30), Map.entry("SIGRTMIN+3", 37));

  private StopSignalDisposition() {}

  /** @return false only when the process is known not to catch it; true when in doubt */
  static boolean catches(Path procStatus, String stopSignal) {
    Integer number = signalNumber(stopSignal);
    if (number == null) {
      return true;
    }
    return ProcStatus.mask(procStatus, "SigCgt").map(m -> m.testBit(number - 1)).orElse(true);
  }

  static Integer signalNumber(String signal) {
    if (signal == null || signal.isBlank()) {
      return 15;
    }
    String s = signal.trim().toUpperCase(Locale.ROOT);
    if (s.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(s);
    }
    return NUMBERS.get(s.startsWith("SIG") ? s : "SIG" + s);
  }
}
