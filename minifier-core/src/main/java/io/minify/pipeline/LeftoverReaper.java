package io.minify.pipeline;

import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.EngineException;
import io.minify.engine.ImageStore;
import io.minify.image.WorkFiles;
import io.minify.run.RunSensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Removes what a build that died without cleaning up ({@code kill -9}, a crashed JVM) left:
 * its containers, its run tags and its work directory. Run at the start of every build.
 *
 * <p>What a build makes names its owner ({@link BuildOwner}): the containers by their labels,
 * the work directory by its {@link BuildOwner#MARKER}, the run tags by the run id. An owner is
 * judged only when it ran in this boot, in this PID namespace, and as this user (or this build
 * runs as root); then it is dead when its pid has no process, a zombie, or one that started
 * at another time (the pid went to another process). Everything else is left alone: what an
 * older minify made (no such labels), what a build on another machine or boot made (a CI
 * runner sharing a remote engine), what a minify in a container made (other pids), and every
 * live build's things.
 */
final class LeftoverReaper {

  /** What the reaper makes of an owner. */
  enum Verdict {
    /** This host does not say its boot or PID namespace: nothing can be judged. */
    HOST_UNKNOWN,
    /** Made in another boot, or on another machine sharing the engine. */
    OTHER_BOOT,
    /** Made by a minify in another PID namespace (a container): its pid means nothing here. */
    OTHER_PID_NAMESPACE,
    /** Made by another user, whose processes this one may not see ({@code hidepid}). */
    OTHER_USER,
    /** Whether the owner runs cannot be read. */
    UNREADABLE,
    /** The owner still runs. */
    ALIVE,
    /** The owner's process is gone (or its pid went to another process). */
    DEAD
  }

  private final ImageStore images;
  private final ContainerRuntime containers;
  private final HostFacts host;
  private final Consumer<String> say;

  LeftoverReaper(ImageStore images, ContainerRuntime containers, HostFacts host, Consumer<String> say) {
    this.images = images;
    this.containers = containers;
    this.host = host;
    this.say = say;
  }

  /** Whether {@code owner} is a build of this host that ended. */
  static Verdict judge(BuildOwner owner, HostFacts host) {
    if (host.bootId().isEmpty() || host.pidNamespace().isEmpty()) {
      return Verdict.HOST_UNKNOWN;
    }
    if (!owner.bootId().equals(host.bootId().get())) {
      return Verdict.OTHER_BOOT;
    }
    if (!owner.pidNamespace().equals(host.pidNamespace().get())) {
      return Verdict.OTHER_PID_NAMESPACE;
    }
    if (host.uid() != 0 && host.uid() != owner.uid()) {
      return Verdict.OTHER_USER;
    }
    OptionalLong started;
    try {
      started = host.startTime(owner.pid());
    } catch (IOException e) {
      return Verdict.UNREADABLE;
    }
    return started.isPresent() && started.getAsLong() == owner.startTime() ? Verdict.ALIVE : Verdict.DEAD;
  }

  /**
   * Reaps the dead builds' leftovers: every container minify labelled in the engine, and the
   * work directories under {@code workRoot} (other roots are reached through the containers'
   * labels). Says one line per build reaped; never fails the build.
   */
  void reap(Path workRoot) {
    Map<BuildOwner, List<String>> leftovers = new LinkedHashMap<>();
    try {
      containers.labelledContainers(ContainerSpec.OWNER_LABEL).forEach((id, labels) -> BuildOwner.fromLabels(labels)
          .ifPresent(owner -> leftovers.computeIfAbsent(owner, o -> new ArrayList<>()).add(id)));
    } catch (EngineException e) {
      say.accept("minify: warning: cannot list the containers of earlier builds: " + e.getMessage());
    }
    markedWorkDirectories(workRoot).forEach(owner -> leftovers.putIfAbsent(owner, new ArrayList<>()));
    leftovers.forEach((owner, containerIds) -> {
      if (judge(owner, host) == Verdict.DEAD) {
        reap(owner, containerIds);
      }
    });
  }

  /** The owners of the work directories under {@code root} that carry a marker. */
  private static List<BuildOwner> markedWorkDirectories(Path root) {
    List<BuildOwner> owners = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return owners;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "minify-*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          BuildOwner.readMarker(dir).ifPresent(owners::add);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // an unreadable root: its directories wait for a build that can read it
    }
    return owners;
  }

  private void reap(BuildOwner owner, List<String> containerIds) {
    List<String> removed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String id : containerIds) {
      try {
        containers.removeContainer(id);
        removed.add("container " + id.substring(0, Math.min(12, id.length())));
      } catch (EngineException e) {
        failed.add(e.getMessage());
      }
    }
    // after the containers: a tag whose image a container still uses cannot go
    for (String tag : List.of(InspectStep.RUN_REPOSITORY + ":" + owner.runId(),
        RunSensors.SENSOR_REPOSITORY + ":" + owner.runId())) {
      try {
        if (images.inspectImage(tag).isPresent()) {
          images.removeImage(tag);
          removed.add("tag " + tag);
        }
      } catch (EngineException e) {
        failed.add(e.getMessage());
      }
    }
    // the work directory last, and only while no container of it is left (its gate is mounted)
    if (failed.isEmpty() && isOwnWorkDirectory(owner)) {
      try {
        WorkFiles.deleteTree(owner.workDir());
        removed.add("work dir " + owner.workDir());
      } catch (IOException | UncheckedIOException e) {
        if (Files.exists(owner.workDir(), LinkOption.NOFOLLOW_LINKS)) {
          failed.add("cannot delete " + owner.workDir() + ": " + e.getMessage());
        }
      }
    }
    if (!removed.isEmpty()) {
      say.accept("minify: removed what a build that ended without cleaning up left (pid " + owner.pid() + ", "
          + String.join(", ", removed) + ")");
    }
    if (!failed.isEmpty()) {
      // the rest stays for the next build to try again
      say.accept("minify: warning: cannot remove all that a build that ended without cleaning up (pid "
          + owner.pid() + ") left: " + String.join("; ", failed));
    }
  }

  /**
   * Whether the owner's work directory is still there and is the one it made: a directory (not
   * a link) named as minify names them, whose marker names this same owner. Nothing else is
   * ever deleted.
   */
  private static boolean isOwnWorkDirectory(BuildOwner owner) {
    Path dir = owner.workDir();
    Path name = dir.getFileName();
    return name != null && name.toString().startsWith(WorkDirectory.PREFIX)
        && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        && BuildOwner.readMarker(dir).filter(owner::equals).isPresent();
  }
}
