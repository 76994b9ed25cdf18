package io.minify.run;

import io.minify.engine.ContainerState;
import io.minify.run.HostProcesses.HostProcess;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a running container listens on, as its network namespace shows it. An app that
 * listens only on 127.0.0.1 inside its container cannot be reached through a published port
 * (the engine forwards to the container's own address), and all a request sees is a closed
 * or reset connection; this is how the build can say why.
 */
@FunctionalInterface
public interface ListeningSockets {

  /** The container's listening TCP sockets, or empty when they cannot be read from here. */
  Optional<List<ProcNetTcp.Listener>> of(RunningContainer container);

  /** Never known: for an engine whose containers are not this machine's processes. */
  static ListeningSockets unknown() {
    return container -> Optional.empty();
  }

  /**
   * Read from this host's {@code /proc} through the container's init process: only for an
   * engine whose containers are this machine's processes, in this PID namespace (elsewhere
   * the engine's pid names some other process here, or none). The pid is pinned, then the
   * engine is asked again, as {@link io.minify.sensor.proc.PinnedProcess} says: what was read
   * counts only if it still names that pid for the running container and the process lives.
   */
  static ListeningSockets through(HostProcesses processes) {
    return container -> {
      ContainerState state = container.state();
      if (!state.running() || state.pid() <= 0) {
        return Optional.empty();
      }
      try (HostProcess process = processes.pin(state.pid())) {
        List<ProcNetTcp.Listener> listening = process.listeningTcp();
        ContainerState again = container.state();
        if (!again.running() || again.pid() != state.pid() || !process.alive()) {
          return Optional.empty();
        }
        return Optional.of(listening);
      } catch (IOException e) {
        return Optional.empty(); // exited meanwhile, or not ours to read: no hint, not an error
      }
    };
  }
}
