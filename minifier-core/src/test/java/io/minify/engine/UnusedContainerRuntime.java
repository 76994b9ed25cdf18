package io.minify.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A container runtime a unit test extends for the few calls it expects: every other call fails
 * the test, saying which, so a fake stays as short as what it fakes.
 */
public class UnusedContainerRuntime implements ContainerRuntime {

  private static UnsupportedOperationException unused(String call) {
    return new UnsupportedOperationException(call + " is not for this test");
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    throw unused("createContainer");
  }

  @Override
  public void startContainer(String containerId) {
    throw unused("startContainer");
  }

  @Override
  public ContainerState containerState(String containerId) {
    throw unused("containerState");
  }

  @Override
  public Map<Integer, Integer> publishedPorts(String containerId) {
    throw unused("publishedPorts");
  }

  @Override
  public List<String> logTail(String containerId, int lines) {
    throw unused("logTail");
  }

  @Override
  public List<ContainerChange> changes(String containerId) {
    throw unused("changes");
  }

  @Override
  public SortedSet<Integer> processUids(String containerId) {
    throw unused("processUids");
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    throw unused("exec");
  }

  @Override
  public void stopContainer(String containerId, Duration grace) {
    throw unused("stopContainer");
  }

  @Override
  public void removeContainer(String containerId) {
    throw unused("removeContainer");
  }

  @Override
  public List<String> containersWithLabel(String filter) {
    throw unused("containersWithLabel");
  }

  @Override
  public Optional<ContainerInfo> inspectContainer(String nameOrId) {
    throw unused("inspectContainer");
  }

  @Override
  public String createAttached(AttachedContainerSpec spec) {
    throw unused("createAttached");
  }

  @Override
  public int runAttached(String containerId, ContainerStreams streams, Runnable started) {
    throw unused("runAttached");
  }

  @Override
  public void resizeTerminal(String containerId, AttachedContainerSpec.TerminalSize size) {
    throw unused("resizeTerminal");
  }
}
