package io.minify.run;

import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * A container minify created; closing it removes it, whatever state it is in, so a
 * try-with-resources block never leaves one behind.
 */
public final class RunningContainer implements AutoCloseable {

  private final ContainerRuntime containers;
  private final String id;
  private Map<Integer, Integer> hostPorts = Map.of();

  private RunningContainer(ContainerRuntime containers, String id) {
    this.containers = containers;
    this.id = id;
  }

  /** Creates the container (not started yet). */
  public static RunningContainer create(ContainerRuntime containers, ContainerSpec spec) {
    return new RunningContainer(containers, containers.createContainer(spec));
  }

  public void start() {
    containers.startContainer(id);
    hostPorts = containers.publishedPorts(id);
  }

  public String id() {
    return id;
  }

  public ContainerState state() {
    return containers.containerState(id);
  }

  /** Container port to the 127.0.0.1 port it is published on (known once started). */
  public Map<Integer, Integer> hostPorts() {
    return hostPorts;
  }

  /**
   * Whether the engine is going away (stopping or restarting): it stops answering within
   * {@code window}. A daemon that shuts down stops its containers first, then its API, so a
   * container that just ended and an engine that falls silent right after belong together.
   *
   * @param sleeper the clock of the window and of the pauses between the questions
   */
  public boolean engineGoingAway(Duration window, Sleeper sleeper) {
    long deadline = sleeper.nanoTime() + window.toNanos();
    while (sleeper.nanoTime() < deadline) {
      if (!containers.answers(Duration.ofMillis(500))) {
        return true;
      }
      try {
        sleeper.sleep(Duration.ofMillis(100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  public List<String> logTail(int lines) {
    return containers.logTail(id, lines);
  }

  /** The user ids the container's processes run as now. */
  public SortedSet<Integer> processUids() {
    return containers.processUids(id);
  }

  /** What the run changed in the container's filesystem (after it stopped: nothing moves any more). */
  public List<ContainerChange> changes() {
    return containers.changes(id);
  }

  public void stop(Duration grace) {
    containers.stopContainer(id, grace);
  }

  @Override
  public void close() {
    containers.removeContainer(id);
  }
}
