package io.minify.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * @param env            "KEY=VALUE" added to (or overriding) the image's ENV
 * @param mounts         user-requested binds and volumes
 * @param network        network to attach to; null for the engine's default bridge
 * @param user           replaces the image USER when non-null
 * @param workingDir     replaces the image WORKDIR when non-null
 * @param fixedHostPorts container TCP port to the 127.0.0.1 host port it must be published on
 * @param publishAddress the engine host's address ports are published on: 127.0.0.1 where
 *                       minify shares the engine's network; all addresses (0.0.0.0) of an
 *                       engine reached over the network, whose loopback minify cannot reach
 * @param hostPid        run in the engine host's PID namespace (minify's own sensor only)
 * @param capAdd         capabilities added to the default set (minify's own sensor only;
 *                       the target never gets any)
 * @param securityOptions {@code docker run --security-opt} values, as the engine API takes
 *                       them: {@code seccomp=} followed by the profile's JSON itself, not a path
 */
public record ContainerSpec(
    String image,
    List<String> entrypoint,
    Map<Path, String> readOnlyBinds,
    List<Integer> publishedPorts,
    Map<String, String> labels,
    List<String> env,
    List<Mount> mounts,
    String network,
    String user,
    String workingDir,
    Map<Integer, Integer> fixedHostPorts,
    String publishAddress,
    boolean hostPid,
    List<String> capAdd,
    List<String> securityOptions) {

  /** Where ports are published unless the engine is reached over the network. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Label every container minify creates carries (value: the build's id), so leftovers can be found. */
  public static final String OWNER_LABEL = "io.minify.owner";

  /**
   * Label naming the work root of the build that made the container, so concurrent builds
   * (parallel CI jobs, tests) can each find their own containers.
   */
  public static final String WORK_ROOT_LABEL = "io.minify.work-root";

  /** Label naming the build's own work directory (under the work root), removed with it. */
  public static final String WORK_DIR_LABEL = "io.minify.work-dir";

  /**
   * Labels naming the process that made the container, so a later build can tell that it
   * died without cleaning up: its pid, that pid's start time (clock ticks after boot, field 22
   * of {@code /proc/PID/stat}: a pid handed to another process has another), the boot it ran
   * in ({@code /proc/sys/kernel/random/boot_id}), its PID namespace (the inode of
   * {@code /proc/self/ns/pid}: a minify in a container sharing the engine counts pids in its
   * own) and its uid.
   */
  public static final String OWNER_PID_LABEL = "io.minify.owner-pid";

  /** See {@link #OWNER_PID_LABEL}. */
  public static final String OWNER_START_TIME_LABEL = "io.minify.owner-start-time";

  /** See {@link #OWNER_PID_LABEL}. */
  public static final String OWNER_BOOT_ID_LABEL = "io.minify.owner-boot-id";

  /** See {@link #OWNER_PID_LABEL}. */
  public static final String OWNER_PID_NS_LABEL = "io.minify.owner-pid-ns";

  /** See {@link #OWNER_PID_LABEL}. */
  public static final String OWNER_UID_LABEL = "io.minify.owner-uid";

  public ContainerSpec {
    entrypoint = List.copyOf(entrypoint);
    readOnlyBinds = Map.copyOf(readOnlyBinds);
    publishedPorts = List.copyOf(publishedPorts);
    labels = Map.copyOf(labels);
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    fixedHostPorts = Map.copyOf(fixedHostPorts);
    capAdd = List.copyOf(capAdd);
    securityOptions = List.copyOf(securityOptions);
    if (publishAddress == null) {
      publishAddress = LOOPBACK;
    }
  }

  /** A container with the engine's default security options. */
  public ContainerSpec(String image, List<String> entrypoint, Map<Path, String> readOnlyBinds,
      List<Integer> publishedPorts, Map<String, String> labels, List<String> env, List<Mount> mounts, String network,
      String user, String workingDir, Map<Integer, Integer> fixedHostPorts, String publishAddress, boolean hostPid,
      List<String> capAdd) {
    this(image, entrypoint, readOnlyBinds, publishedPorts, labels, env, mounts, network, user, workingDir,
        fixedHostPorts, publishAddress, hostPid, capAdd, List.of());
  }

  /** The same container, its ports published on {@code address} of the engine's host. */
  public ContainerSpec publishedOn(String address) {
    return new ContainerSpec(image, entrypoint, readOnlyBinds, publishedPorts, labels, env, mounts, network, user,
        workingDir, fixedHostPorts, address, hostPid, capAdd, securityOptions);
  }

  /** The same container with these {@code --security-opt} values instead of the engine's defaults. */
  public ContainerSpec withSecurityOptions(List<String> options) {
    return new ContainerSpec(image, entrypoint, readOnlyBinds, publishedPorts, labels, env, mounts, network, user,
        workingDir, fixedHostPorts, publishAddress, hostPid, capAdd, options);
  }

  /** A container with the image's own env, user, workdir and the default network. */
  public ContainerSpec(String image, List<String> entrypoint, Map<Path, String> readOnlyBinds,
      List<Integer> publishedPorts, Map<String, String> labels) {
    this(image, entrypoint, readOnlyBinds, publishedPorts, labels, List.of(), List.of(), null, null, null, Map.of(),
        LOOPBACK, false, List.of());
  }

  /**
   * A user-requested mount, as {@code docker run --mount} takes it.
   *
   * @param volume   true for a volume (named by {@code source}, or anonymous when source is
   *                 null), false for a bind of the host path {@code source}
   * @param source   host path (bind) or volume name (volume); null for an anonymous volume
   * @param target   absolute path in the container
   * @param readOnly mounted read-only
   */
  public record Mount(boolean volume, String source, String target, boolean readOnly) {

    public Mount {
      if (target == null || !target.startsWith("/")) {
        throw new IllegalArgumentException("target '" + target + "' is not an absolute path");
      }
      if (!volume && (source == null || !source.startsWith("/"))) {
        throw new IllegalArgumentException("a bind needs an absolute host source path, got '" + source + "'");
      }
    }

    /**
     * Parses {@code type=bind|volume,source=...,target=...[,readonly]} (also {@code src},
     * {@code dst}, {@code destination}, {@code ro}, {@code readonly=true|false}); the type
     * defaults to volume, as in Docker. A relative bind source is resolved against
     * {@code baseDir}.
     */
    public static Mount parse(String spec, Path baseDir) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String part : spec.split(",")) {
        int eq = part.indexOf('=');
        String key = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
        String value = eq < 0 ? null : part.substring(eq + 1).trim();
        if (key.isEmpty()) {
          throw new IllegalArgumentException("empty field in '" + spec + "'");
        }
        String canonical = switch (key) {
          case "type" -> "type";
          case "source", "src" -> "source";
          case "target", "dst", "destination" -> "target";
          case "readonly", "ro" -> "readonly";
          default -> throw new IllegalArgumentException("unknown field '" + key + "' in '" + spec
              + "' (expected type, source, target, readonly)");
        };
        if (fields.put(canonical, value) != null) {
          throw new IllegalArgumentException("field '" + key + "' given twice in '" + spec + "'");
        }
      }
      String type = fields.getOrDefault("type", "volume");
      if (!"bind".equals(type) && !"volume".equals(type)) {
        throw new IllegalArgumentException("type '" + type + "' in '" + spec + "' is not bind or volume");
      }
      if (fields.get("target") == null) {
        throw new IllegalArgumentException("'" + spec + "' has no target=");
      }
      boolean readOnly = fields.containsKey("readonly");
      String ro = fields.get("readonly");
      if (ro != null) {
        if (!ro.equals("true") && !ro.equals("false") && !ro.equals("1") && !ro.equals("0")) {
          throw new IllegalArgumentException("readonly='" + ro + "' in '" + spec + "' is not true or false");
        }
        readOnly = ro.equals("true") || ro.equals("1");
      }
      String source = fields.get("source");
      if ("bind".equals(type)) {
        if (source == null || source.isEmpty()) {
          throw new IllegalArgumentException("the bind '" + spec + "' has no source=");
        }
        source = baseDir.resolve(source).toAbsolutePath().normalize().toString();
      } else if (source != null && (source.isEmpty() || source.contains("/"))) {
        throw new IllegalArgumentException("volume name '" + source + "' in '" + spec + "' is not a plain name");
      }
      return new Mount("volume".equals(type), source, fields.get("target"), readOnly);
    }
  }
}
