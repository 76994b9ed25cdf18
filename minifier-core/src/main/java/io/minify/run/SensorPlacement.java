package io.minify.run;

/**
 * Where the file monitor of a watched run runs.
 *
 * <p>{@link #HOST}: in this process, marking the container's root through this machine's
 * {@code /proc}, the gate bind-mounted from the work directory. It needs the engine's containers
 * to be processes of this machine and PID namespace. {@link #ENGINE}: in a small container of
 * minify's own beside the target (the engine host's PID namespace, CAP_SYS_ADMIN and
 * CAP_SYS_PTRACE), the gate copied into the target through the engine API; for engines in
 * another namespace, container or machine (a mounted socket, docker-in-docker, a remote host).
 * {@link #AUTO} tries the host first and lets the engine's answers decide.
 */
public enum SensorPlacement {
  AUTO, HOST, ENGINE;

  /** The words the user gives ({@code MINIFY_SENSOR=auto|host|engine}); empty or null is auto. */
  public static SensorPlacement parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "auto" -> AUTO;
      case "host" -> HOST;
      case "engine" -> ENGINE;
      default -> throw new IllegalArgumentException("sensor placement '" + value + "' is not auto, host or engine");
    };
  }

  /** How the report and the progress line name where the monitor ran. */
  public String label() {
    return switch (this) {
      case AUTO -> "auto";
      case HOST -> "on this host";
      case ENGINE -> "in the engine";
    };
  }
}
