package io.minify.engine;

import java.util.Optional;

/**
 * A container's PID, network and IPC modes, as the engine API names them ({@code HostConfig}
 * {@code PidMode}, {@code NetworkMode}, {@code IpcMode}); null or "" leaves the engine's default.
 */
public record NamespaceModes(String pid, String network, String ipc) {

  private static final String CONTAINER = "container:";
  private static final String HOST = "host";

  /** The engine's defaults: a container of its own. */
  public static NamespaceModes own() {
    return new NamespaceModes(null, null, null);
  }

  /**
   * The modes that put a new container into {@code target}'s namespaces. A target that shares
   * another container's namespace (or the host's) is joined there, in the same namespace:
   * the engine refuses to chain "container:" modes. Its IPC namespace can be joined only when
   * it was created shareable (the default is private on Docker 20.10 and 29 alike): then
   * {@link #ipcShared()} is false and the new container has its own.
   */
  public static NamespaceModes joining(ContainerInfo target) {
    NamespaceModes its = target.namespaces();
    String into = CONTAINER + target.id();
    String ipc = its.ipc() == null ? "" : its.ipc();
    return new NamespaceModes(sameAs(its.pid(), into), sameAs(its.network(), into),
        ipc.equals("shareable") ? into : ipc.equals(HOST) || ipc.startsWith(CONTAINER) ? ipc : null);
  }

  /** A "host" or "container:" mode is joined as it is; any other means the target's own namespace. */
  private static String sameAs(String mode, String into) {
    return mode != null && (mode.equals(HOST) || mode.startsWith(CONTAINER)) ? mode : into;
  }

  /** Whether the IPC namespace is another's (joined), not a new one of its own. */
  public boolean ipcShared() {
    return Optional.ofNullable(ipc).filter(m -> !m.isEmpty()).isPresent();
  }
}
