package io.minify.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * An engine a unit test extends for the few calls it expects: every other call fails the
 * test, saying which, so a fake stays as short as what it fakes.
 */
public class UnusedEngine implements ContainerEngine {

  private static UnsupportedOperationException unused(String call) {
    return new UnsupportedOperationException(call + " is not for this test");
  }

  @Override
  public String version() {
    return "unused";
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    throw unused("inspectImage");
  }

  @Override
  public InputStream saveImage(String reference) {
    throw unused("saveImage");
  }

  @Override
  public void loadImage(Path archive) throws IOException {
    throw unused("loadImage");
  }

  @Override
  public void tagImage(String imageId, String repository, String tag) {
    throw unused("tagImage");
  }

  @Override
  public void removeImage(String reference) {
    throw unused("removeImage");
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
  public void close() {}

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    throw unused("exec");
  }
}
