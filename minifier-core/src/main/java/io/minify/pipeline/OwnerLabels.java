package io.minify.pipeline;

import io.minify.engine.ContainerSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The owner labels of a container minify makes outside a build ({@code minify debug}'s tools
 * container): the labels a build's containers carry ({@link BuildOwner}), so that when the
 * process that made it dies without removing it, the next build's {@link LeftoverReaper}
 * removes it as it removes a dead build's. Its work directory is one that is never made:
 * the reaper deletes only a directory that is there and carries the owner's marker.
 */
public final class OwnerLabels {

  private OwnerLabels() {}

  /**
   * This process's labels, with a fresh run id and the never-made directory
   * {@code workRoot/minify-<purpose>-<run id>}; only the run id when the host does not say who
   * this process is (then nothing judges it, and nothing reaps it).
   */
  public static Map<String, String> ofThisProcess(HostFacts host, Path workRoot, String purpose) {
    String runId = UUID.randomUUID().toString().replace("-", "");
    Path never = workRoot.toAbsolutePath().normalize().resolve(WorkDirectory.PREFIX + purpose + "-" + runId);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ContainerSpec.OWNER_LABEL, runId);
    BuildOwner.current(host, runId, never).ifPresent(me -> labels.putAll(me.labels()));
    return labels;
  }
}
