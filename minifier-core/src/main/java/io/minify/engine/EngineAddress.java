package io.minify.engine;

import java.net.URI;

/**
 * Where the engine is, as far as reaching what it publishes goes.
 *
 * @param overNetwork the engine is reached over TCP or SSH: its loopback is not this
 *                    process's, so its containers publish on all of its host's addresses
 * @param host        the address of the engine's host that reaches its published ports
 */
public record EngineAddress(boolean overNetwork, String host) {

  /** A Unix socket: the engine's published ports are on this machine's (or network's) loopback. */
  public static final EngineAddress LOCAL_SOCKET = new EngineAddress(false, ContainerSpec.LOOPBACK);

  /**
   * The address of a {@code DOCKER_HOST} value: {@code unix://...} (or a path) is local;
   * {@code tcp://HOST:PORT} and {@code ssh://[USER@]HOST[:PORT]} are reached over the network.
   *
   * @throws IllegalArgumentException naming the value when it has no host
   */
  public static EngineAddress of(String dockerHost) {
    if (dockerHost == null || dockerHost.isBlank() || dockerHost.startsWith("unix://") || dockerHost.startsWith("/")
        || dockerHost.startsWith("npipe://")) {
      return LOCAL_SOCKET;
    }
    URI uri;
    try {
      uri = URI.create(dockerHost.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DOCKER_HOST '" + dockerHost + "' is not an address: " + e.getMessage(), e);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("DOCKER_HOST '" + dockerHost + "' names no host");
    }
    String host = uri.getHost();
    // [::1] comes back bracketed; a socket address wants it bare
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new EngineAddress(true, host);
  }

  /** The address containers publish on: every address of a remote host, else its loopback only. */
  public String publishAddress() {
    return overNetwork ? "0.0.0.0" : ContainerSpec.LOOPBACK;
  }
}
