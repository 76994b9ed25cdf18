package io.minify.pipeline;

import io.minify.failure.BuildException;
import io.minify.probe.HttpProber;
import io.minify.run.HostExecOutcome;
import io.minify.run.HostExecs;
import io.minify.run.ListeningSockets;
import io.minify.run.MonitoredRun;
import io.minify.run.ProbeDriver;
import io.minify.run.OtherPort;
import io.minify.run.ProbeRecording;
import io.minify.run.SensorPlacement;
import java.util.Optional;

/**
 * Stage 4: the planned probes, the crawl, the API spec, TCP, exec and host-exec probes against
 * the original, then {@code --continue-after}. What it recorded is what the slim image must
 * answer in the verify stage.
 */
final class ProbeStep implements BuildStep {
  static final Handoff<ProbeRecording> RECORDING = Handoff.named("the original's answers");

  @Override
  public Stage stage() {
    return Stage.PROBE;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    // an image the engine cannot save, or one that holds the gate's mount point, is refused
    // now if the reader already knows, not after minutes of probing
    Optional<ImageContent> read = build.get(InspectStep.READER).readSoFar();
    if (read.isPresent()) {
      StartStep.refuseTakenGateMountPoint(read.get());
    }
    BuildServices services = build.services();
    MonitoredRun run = build.get(StartStep.RUN);
    // the container's sockets are read through this host's /proc, which shows the engine's
    // processes only where the monitor runs on this host too
    ListeningSockets sockets = run.placement() == SensorPlacement.HOST
        ? ListeningSockets.through(services.sensors().processes()) : ListeningSockets.unknown();
    ProbeRecording recording;
    // an abort (Ctrl-C) from another thread ends a host-exec command with the build
    CleanupStack.Handle hostCommand = build.options().probing().hostExecs().isEmpty() ? null
        : build.cleanup().push("host-exec command", services.hostCommands()::stopRunning);
    // the prober is closed before the app is stopped: its idle keep-alive connections would
    // hold up an app that shuts down gracefully (it waits for open connections to end)
    try (HttpProber prober = services.httpProbers().get()) {
      recording = new ProbeDriver(prober, services.tcpProber(), services.engine().containers(), build.options().probing(),
          services.stopWaiter(), services.sleeper(), sockets,
          new HostExecs(services.hostCommands(), build.get(InspectStep.WORK_DIR)))
          .probeOriginal(run.container(), build.get(InspectStep.PLAN));
    } finally {
      if (hostCommand != null) {
        hostCommand.keep(); // nothing runs any more: its run ended, killed if it had to be
      }
    }
    build.put(RECORDING, recording);
    return recording.size() + " probe(s) answered"
        + (recording.crawledPages().isEmpty() ? "" : ", " + recording.crawledPages().size() + " page(s) crawled")
        + (recording.crawlSkipped().isEmpty() ? "" : ", " + recording.crawlSkipped().size()
            + " destructive-looking link(s) not followed")
        + (recording.otherPorts().isEmpty() ? "" : "; not HTTP, kept open and watched: port "
            + String.join(", ", recording.otherPorts().stream().map(OtherPort::describe).toList()))
        + (recording.unreadyPorts().isEmpty() ? "" : "; warning: port(s) " + recording.unreadyPorts()
            + " never accepted connections within --start-timeout")
        + hostExecs(recording)
        + ", continued after " + recording.continuedAfter().label();
  }

  /** "; host-exec exit code(s) 0, 1": what the user's own commands said of the original. */
  private static String hostExecs(ProbeRecording recording) {
    if (recording.hostExec().isEmpty()) {
      return "";
    }
    return "; host-exec exit code(s) " + String.join(", ", recording.hostExec().stream()
        .map(HostExecOutcome::result).map(r -> Integer.toString(r.exitCode())).toList());
  }
}
