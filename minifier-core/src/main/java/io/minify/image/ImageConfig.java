package io.minify.image;

import java.util.List;
import java.util.Map;

/**
 * The run configuration an image carries (the "config" object of the image config JSON),
 * as minify needs it to start the image exactly as {@code docker run IMAGE} would.
 *
 * @param entrypoint   ENTRYPOINT, empty when unset
 * @param cmd          CMD, empty when unset
 * @param env          ENV as "KEY=value" strings, in order
 * @param user         USER ("" for root/unset)
 * @param workingDir   WORKDIR ("" when unset)
 * @param exposedPorts EXPOSE entries such as "8080/tcp"
 * @param volumes      VOLUME paths
 * @param labels       LABELs
 * @param stopSignal   STOPSIGNAL, null when unset
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String user,
    String workingDir,
    List<String> exposedPorts,
    List<String> volumes,
    Map<String, String> labels,
    String stopSignal) {

  /** The PATH Docker uses when an image sets none. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    user = user == null ? "" : user;
    workingDir = workingDir == null ? "" : workingDir;
    exposedPorts = List.copyOf(exposedPorts);
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
  }

  /** What the container's first process runs: ENTRYPOINT followed by CMD. */
  public List<String> command() {
    var all = new java.util.ArrayList<String>(entrypoint);
    all.addAll(cmd);
    return List.copyOf(all);
  }

  /** The value of an ENV variable, or null. The last definition wins, as in Docker. */
  public String envValue(String name) {
    String value = null;
    for (String kv : env) {
      int eq = kv.indexOf('=');
      String key = eq < 0 ? kv : kv.substring(0, eq);
      if (key.equals(name)) {
        value = eq < 0 ? "" : kv.substring(eq + 1);
      }
    }
    return value;
  }

  /** The PATH the container's first process sees. */
  public String path() {
    String path = envValue("PATH");
    return path == null ? DEFAULT_PATH : path;
  }

  /** Exposed TCP port numbers, in declaration order. */
  public List<Integer> exposedTcpPorts() {
    return exposedPorts.stream()
        .filter(p -> !p.endsWith("/udp") && !p.endsWith("/sctp"))
        .map(p -> Integer.parseInt(p.contains("/") ? p.substring(0, p.indexOf('/')) : p))
        .distinct()
        .toList();
  }
}
