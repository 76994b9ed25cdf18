package io.minify.run;

import io.minify.probe.HttpProtocol;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@code --host-exec} command is told about the container it tests, as environment
 * variables: {@code MINIFY_TARGET_HOST} (the address the container's ports are published on),
 * {@code MINIFY_TARGET_PORT_<container port>} (the host port of each published port), and for
 * the app's main port {@code MINIFY_TARGET_PORT} and {@code MINIFY_TARGET_URL}. The main port
 * is the lowest container port HTTP probing went to (its probes' protocol in the URL), else the
 * lowest published port (http). The original and the slim container get the same names with
 * their own ports, so a suite that reads them runs unchanged against both.
 */
public final class HostExecEnvironment {

  public static final String HOST = "MINIFY_TARGET_HOST";
  public static final String PORT = "MINIFY_TARGET_PORT";
  public static final String PORT_PREFIX = "MINIFY_TARGET_PORT_";
  public static final String URL = "MINIFY_TARGET_URL";

  private HostExecEnvironment() {}

  /**
   * @param host      the address published ports are reached at (127.0.0.1 for a local engine)
   * @param hostPorts container port to published host port
   * @param httpPorts the container ports HTTP probing went to, with the protocol that answered
   *                  there (empty with no HTTP probing)
   * @return the variables, by name
   */
  public static SortedMap<String, String> of(String host, Map<Integer, Integer> hostPorts,
      Map<Integer, HttpProtocol> httpPorts) {
    SortedMap<String, String> env = new TreeMap<>();
    env.put(HOST, host);
    new TreeMap<>(hostPorts).forEach((container, published) -> env.put(PORT_PREFIX + container,
        Integer.toString(published)));
    Integer main = httpPorts.keySet().stream().filter(hostPorts::containsKey).min(Integer::compare)
        .orElse(hostPorts.isEmpty() ? null : Collections.min(hostPorts.keySet()));
    if (main != null) {
      boolean https = httpPorts.get(main) == HttpProtocol.HTTPS;
      env.put(PORT, Integer.toString(hostPorts.get(main)));
      String address = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      env.put(URL, (https ? "https" : "http") + "://" + address + ":" + hostPorts.get(main));
    }
    return Collections.unmodifiableSortedMap(env);
  }
}
