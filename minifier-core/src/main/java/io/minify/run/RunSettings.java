package io.minify.run;

import io.minify.engine.ContainerSpec;
import io.minify.image.ImageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the temporary containers (the watched original and the verified slim one) are run,
 * beyond what the image itself says. Empty: exactly as {@code docker run IMAGE}. These
 * settings never reach the slim image's config (that is {@code ConfigChanges}).
 *
 * @param env            "KEY=VALUE" for the container, on top of the image's ENV (env-file
 *                       lines first, then --env, so --env wins)
 * @param mounts         binds and volumes
 * @param network        network to join; null for the engine's default bridge
 * @param entrypoint     replaces ENTRYPOINT; null keeps it. As with {@code docker run
 *                       --entrypoint}, the image's CMD is then dropped unless {@code cmd} is set
 * @param cmd            replaces CMD; null keeps it
 * @param workingDir     replaces WORKDIR; null keeps it
 * @param user           replaces USER; null keeps it
 * @param exposedPorts   extra container TCP ports to publish and probe (--expose)
 * @param fixedHostPorts container TCP port to the 127.0.0.1 host port it is published on
 */
public record RunSettings(
    List<String> env,
    List<ContainerSpec.Mount> mounts,
    String network,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    List<Integer> exposedPorts,
    Map<Integer, Integer> fixedHostPorts) {

  public RunSettings {
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    exposedPorts = List.copyOf(exposedPorts);
    fixedHostPorts = Map.copyOf(fixedHostPorts);
  }

  public static RunSettings defaults() {
    return new RunSettings(List.of(), List.of(), null, null, null, null, null, List.of(), Map.of());
  }

  /** {@code config} with {@link #exposedPorts} added, so they are published and probed like EXPOSEd ones. */
  public ImageConfig exposing(ImageConfig config) {
    if (exposedPorts.isEmpty()) {
      return config;
    }
    Set<String> ports = new LinkedHashSet<>(config.exposedPorts());
    Set<Integer> tcp = new LinkedHashSet<>(config.exposedTcpPorts());
    for (int port : exposedPorts) {
      if (tcp.add(port)) {
        ports.add(port + "/tcp");
      }
    }
    return new ImageConfig(config.entrypoint(), config.cmd(), config.env(), config.user(), config.workingDir(),
        List.copyOf(ports), config.volumes(), config.labels(), config.stopSignal());
  }

  /** Whether the container runs another command than the image's own. */
  public boolean overridesCommand() {
    return entrypoint != null || cmd != null;
  }

  /** What the container's first process runs, by {@code docker run}'s rules. */
  public List<String> command(ImageConfig config) {
    List<String> all = new ArrayList<>(entrypoint != null ? entrypoint : config.entrypoint());
    if (cmd != null) {
      all.addAll(cmd);
    } else if (entrypoint == null) {
      all.addAll(config.cmd());
    }
    return List.copyOf(all);
  }

  /**
   * These settings for the slim image, where the new config wins: when the slim image got
   * a new command, user or workdir of its own, verification must run with THAT one, or a
   * broken new entrypoint would pass unnoticed.
   */
  public RunSettings yieldingTo(boolean newCommand, boolean newUser, boolean newWorkingDir) {
    return new RunSettings(env, mounts, network, newCommand ? null : entrypoint, newCommand ? null : cmd,
        newWorkingDir ? null : workingDir, newUser ? null : user, exposedPorts, fixedHostPorts);
  }

  /**
   * The container spec: {@code entrypoint} (full command, ENTRYPOINT replaced and CMD
   * dropped) when non-empty, and these settings.
   */
  public ContainerSpec spec(String image, List<String> entrypoint, Map<Path, String> readOnlyBinds,
      List<Integer> publishedPorts, Map<String, String> labels) {
    return new ContainerSpec(image, entrypoint, readOnlyBinds, publishedPorts, labels, env, mounts, network, user,
        workingDir, fixedHostPorts, ContainerSpec.LOOPBACK, false, List.of());
  }

  /** The spec of a container running the image's command, or the overridden one. */
  public ContainerSpec spec(String image, ImageConfig config, List<Integer> publishedPorts,
      Map<String, String> labels) {
    return spec(image, overridesCommand() ? command(config) : List.of(), Map.of(), publishedPorts, labels);
  }
}
