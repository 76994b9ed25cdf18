package io.minify.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to create a container. Fields left null/empty keep the image's own settings, so the
 * container runs exactly as {@code docker run IMAGE} would.
 *
 * @param image          image reference or id
 * @param entrypoint     replaces the image ENTRYPOINT when non-empty (the image CMD is then
 *                       not appended, as with the engine API)
 * @param readOnlyBinds  host directory to container path, mounted read-only
 * @param publishedPorts container TCP ports to publish on 127.0.0.1 at engine-chosen ports
 * @param labels         labels on the container (minify marks its own containers)
 */
public record ContainerSpec(
    String image,
    List<String> entrypoint,
    Map<Path, String> readOnlyBinds,
    List<Integer> publishedPorts,
    Map<String, String> labels) {

  /** Label every container minify creates carries (value: the build's id), so leftovers can be found. */
  public static final String OWNER_LABEL = "io.minify.owner";

  /**
   * Label naming the work root of the build that made the container, so concurrent builds
   * (parallel CI jobs, tests) can each find their own containers.
   */
  public static final String WORK_ROOT_LABEL = "io.minify.work-root";

  public ContainerSpec {
    entrypoint = List.copyOf(entrypoint);
    readOnlyBinds = Map.copyOf(readOnlyBinds);
    publishedPorts = List.copyOf(publishedPorts);
    labels = Map.copyOf(labels);
  }
}
