package io.minify.pipeline;

import io.minify.engine.ContainerSpec;
import io.minify.image.WorkFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The build that made a container, a work directory or a run tag, as its labels and the
 * {@link #MARKER} file in its work directory name it: the run id, the work directory, and the
 * process that ran it (pid, that pid's start time, boot, PID namespace, uid). A later build
 * reaps what a dead owner left ({@link LeftoverReaper}).
 */
record BuildOwner(String runId, Path workDir, long pid, long startTime, String bootId, String pidNamespace, int uid) {

  /** The file in the work directory that names its owner, as {@code label=value} lines. */
  static final String MARKER = "owner";

  /** Longer is not a marker of ours. */
  private static final int MARKER_MAX_BYTES = 4096;

  /** This process, running build {@code runId} in {@code workDir}; empty when the host does not say who it is. */
  static Optional<BuildOwner> current(HostFacts host, String runId, Path workDir) {
    try {
      OptionalLong started = host.startTime(host.pid());
      if (started.isEmpty() || host.bootId().isEmpty() || host.pidNamespace().isEmpty() || host.uid() < 0) {
        return Optional.empty();
      }
      return Optional.of(new BuildOwner(runId, workDir.toAbsolutePath().normalize(), host.pid(),
          started.getAsLong(), host.bootId().get(), host.pidNamespace().get(), host.uid()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The labels that name this owner (the run id, the work directory, the process). */
  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ContainerSpec.OWNER_LABEL, runId);
    labels.put(ContainerSpec.WORK_DIR_LABEL, workDir.toString());
    labels.put(ContainerSpec.OWNER_PID_LABEL, Long.toString(pid));
    labels.put(ContainerSpec.OWNER_START_TIME_LABEL, Long.toString(startTime));
    labels.put(ContainerSpec.OWNER_BOOT_ID_LABEL, bootId);
    labels.put(ContainerSpec.OWNER_PID_NS_LABEL, pidNamespace);
    labels.put(ContainerSpec.OWNER_UID_LABEL, Integer.toString(uid));
    return labels;
  }

  /**
   * The owner that {@code labels} name; empty when one is missing or malformed: what an older
   * minify made, or something else, is never judged.
   */
  static Optional<BuildOwner> fromLabels(Map<String, String> labels) {
    String runId = labels.get(ContainerSpec.OWNER_LABEL);
    String dir = labels.get(ContainerSpec.WORK_DIR_LABEL);
    String bootId = labels.get(ContainerSpec.OWNER_BOOT_ID_LABEL);
    String namespace = labels.get(ContainerSpec.OWNER_PID_NS_LABEL);
    if (runId == null || !runId.matches("[0-9a-f]{32}") || dir == null || bootId == null || bootId.isBlank()
        || namespace == null || !namespace.matches("\\d+")) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(labels.getOrDefault(ContainerSpec.OWNER_PID_LABEL, ""));
      long started = Long.parseLong(labels.getOrDefault(ContainerSpec.OWNER_START_TIME_LABEL, ""));
      int uid = Integer.parseInt(labels.getOrDefault(ContainerSpec.OWNER_UID_LABEL, ""));
      Path workDir = Path.of(dir);
      if (pid <= 0 || started < 0 || uid < 0 || !workDir.isAbsolute() || !workDir.normalize().equals(workDir)) {
        return Optional.empty();
      }
      return Optional.of(new BuildOwner(runId, workDir, pid, started, bootId, namespace, uid));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes the {@link #MARKER} into the work directory (0600, like every file there). */
  void mark() throws IOException {
    StringBuilder text = new StringBuilder();
    labels().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try (OutputStream out = WorkFiles.create(workDir.resolve(MARKER))) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The owner the marker in {@code dir} names, when it is a regular file (not a link) and names
   * {@code dir} as its work directory; empty otherwise.
   */
  static Optional<BuildOwner> readMarker(Path dir) {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(marker, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MARKER_MAX_BYTES + 1);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (bytes.length > MARKER_MAX_BYTES) {
      return Optional.empty();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        labels.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fromLabels(labels).filter(o -> o.workDir().equals(dir.toAbsolutePath().normalize()));
  }
}
