package io.minify.engine;

/**
 * One path a container's run changed in its filesystem, as {@code docker diff} lists it.
 *
 * @param path the path inside the container, as the engine reports it (text)
 * @param kind what happened to it
 */
public record ContainerChange(String path, Kind kind) {

  /** The engine's kinds of change. */
  public enum Kind { CHANGED, ADDED, DELETED }
}
