package io.minify.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * The engine's containers: made from a {@link ContainerSpec}, started, watched (state, output,
 * processes, changes), reached (ports, exec) and removed again. All methods throw
 * {@link EngineException} when the engine fails.
 */
public interface ContainerRuntime {

  /**
   * Whether the engine answers a ping within {@code within}. A container that ends while the
   * engine stops answering was ended by the engine (a restart), not by its app.
   */
  default boolean answers(Duration within) {
    return true;
  }

  /**
   * Where this process reaches the engine's host, and so the ports it publishes: 127.0.0.1 for a
   * local socket, the host of a {@code tcp://} or {@code ssh://} address.
   */
  default EngineAddress address() {
    return EngineAddress.LOCAL_SOCKET;
  }

  /** Creates (does not start) a container; returns its id. */
  String createContainer(ContainerSpec spec);

  void startContainer(String containerId);

  ContainerState containerState(String containerId);

  /**
   * Whether a created (or running) container sees {@code path}, its mounts included ({@code GET
   * /containers/{id}/archive?path=}: 200 or 404). An engine that makes a missing bind source
   * instead of refusing it (Podman) shows here that it has no such directory on its host.
   */
  default boolean containerHasPath(String containerId, String path) {
    return true;
  }

  /** Unpacks a tar archive into {@code directory} of a container (created or running). */
  default void copyToContainer(String containerId, byte[] tar, String directory) {
    throw new EngineException("this engine cannot copy files into a container");
  }

  /**
   * Follows a container's stdout from now on (attach before it starts to miss nothing): each
   * chunk as it arrives, then {@code ended} once when the stream ends. Closing stops following.
   */
  default AutoCloseable followOutput(String containerId, Consumer<byte[]> stdout, Runnable ended) {
    throw new EngineException("this engine cannot attach to a container");
  }

  /**
   * A container by name or id, as the engine describes it; empty when the engine has none such.
   */
  default Optional<ContainerInfo> inspectContainer(String nameOrId) {
    throw new EngineException("this engine cannot inspect a container");
  }

  /** Creates (does not start) a container to be run attached ({@link #runAttached}); returns its id. */
  default String createAttached(AttachedContainerSpec spec) {
    throw new EngineException("this engine cannot run an attached container");
  }

  /**
   * Starts a container made by {@link #createAttached} attached to {@code streams} (attached
   * before it starts, so nothing it writes is missed), runs {@code started} once it runs (when
   * its terminal can be sized), and waits until it ends and its output is through; returns its
   * exit code. Removing the container from another thread ends the wait.
   *
   * @throws UnrunnableCommandException when the engine cannot start its command (no such
   *                                    program in the image, or not executable)
   */
  default int runAttached(String containerId, ContainerStreams streams, Runnable started) {
    throw new EngineException("this engine cannot run an attached container");
  }

  /** Gives a running container's terminal a new size (the local terminal's, after a resize). */
  default void resizeTerminal(String containerId, AttachedContainerSpec.TerminalSize size) {
    throw new EngineException("this engine cannot resize a container's terminal");
  }

  /** Sends {@code signal} (e.g. "TERM") to a container's first process. */
  default void signal(String containerId, String signal) {
    throw new EngineException("this engine cannot signal a container");
  }

  /** Container TCP port to the host port it is published on ({@link #address()} reaches it). */
  Map<Integer, Integer> publishedPorts(String containerId);

  /** The last {@code lines} lines of the container's stdout and stderr. */
  List<String> logTail(String containerId, int lines);

  /**
   * What the container changed in its filesystem against its image ({@code docker diff}):
   * every path added, changed or deleted, directories on the way included.
   */
  List<ContainerChange> changes(String containerId);

  /**
   * The user ids the container's processes run as now ({@code docker top}, as the host sees
   * them), for a running container; empty for a stopped one.
   */
  SortedSet<Integer> processUids(String containerId);

  /**
   * Runs {@code command} inside a running container (in its namespaces, as its configured
   * user, in its workdir) and waits up to {@code timeout} for it to finish. The exit code is
   * the one the engine recorded; a broken output stream is an {@link EngineException}.
   */
  ExecResult exec(String containerId, List<String> command, Duration timeout);

  /** Sends the stop signal, waits up to {@code grace}, then kills. Stopped is fine. */
  void stopContainer(String containerId, Duration grace);

  /** Removes a container and its anonymous volumes, forcefully; absent is fine. */
  void removeContainer(String containerId);

  /** Ids of all containers (any state) matching a label filter: "key" (any value) or "key=value". */
  List<String> containersWithLabel(String filter);

  /**
   * All containers (any state) that carry label {@code key}, by id, each with all its labels:
   * how a build finds what a dead build left. An engine that cannot tell answers none, and
   * nothing is reaped on it.
   */
  default Map<String, Map<String, String>> labelledContainers(String key) {
    return Map.of();
  }
}
