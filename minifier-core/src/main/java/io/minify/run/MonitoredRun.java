package io.minify.run;

import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.ImageConfig;
import io.minify.path.UnixPath;
import io.minify.run.HostProcesses.HostProcess;
import io.minify.sensor.AccessLog;
import io.minify.sensor.AccessMonitor;
import io.minify.sensor.MonitorOverflowException;
import io.minify.sensor.gate.Gate;
import io.minify.sensor.gate.StartGate;
import io.minify.sensor.syscall.Architecture;
import io.minify.sensor.syscall.SyscallRecording;
import io.minify.sensor.syscall.SyscallTable;
import io.minify.sensor.syscall.SyscallTracer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The original image running under watch (docs/design.md stages 2, 3 and 5): the container
 * starts with its command wrapped by the start gate, the host-side monitor is armed on the
 * container's root mount, and only then the gate lets the app exec. Closing removes the
 * container and the gate directory and releases the monitor, on every path.
 */
public final class MonitoredRun implements AutoCloseable {

  private static final Duration GATE_TIMEOUT = Duration.ofSeconds(30);

  private final Gate gate;
  private final RunningContainer container;
  private final Watch watch;
  private final SensorPlacement placement;
  private final String publishAddress;
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  /** The syscall tracer of {@code --seccomp-profile}; null when not asked for. */
  private final SyscallTracer tracer;
  private volatile SyscallRecording syscalls;

  private MonitoredRun(Gate gate, RunningContainer container, Watch watch, SensorPlacement placement,
      String publishAddress, SyscallTracer tracer) {
    this.gate = gate;
    this.container = container;
    this.watch = watch;
    this.placement = placement;
    this.publishAddress = publishAddress;
    this.tracer = tracer;
  }

  /** The container's init, pinned, with the pid the engine named and the pin was checked against. */
  private record PinnedInit(HostProcess process, int pid) {}

  /** The monitor in this process, through the pinned init's {@code /proc} entry. */
  private record HostWatch(HostProcess process, AccessMonitor monitor) implements Watch {
    @Override
    public AccessLog stop() throws IOException {
      return monitor.stop();
    }

    @Override
    public boolean catchesSignal(String stopSignal) {
      return process.catchesSignal(stopSignal);
    }

    @Override
    public void close() {
      closeAll(monitor, process);
    }
  }

  /**
   * Starts {@code image} gated and monitored. An entrypoint/cmd override in
   * {@code settings} changes what the gate execs; env, user, workdir, mounts and network
   * are container settings, so the gate itself already runs with them (as the user, in the
   * workdir), exactly like the app will.
   *
   * @param labels labels for the container, so leftovers can always be found
   */
  public static MonitoredRun start(ContainerEngine engine, RunSensors sensors, String image, ImageConfig config,
      RunSettings settings, List<Integer> ports, Path workDir, Map<String, String> labels) throws BuildException {
    return start(engine, sensors, image, config, settings, ports, workDir, labels, false);
  }

  /**
   * {@link #start(ContainerEngine, RunSensors, String, ImageConfig, RunSettings, List, Path, Map)},
   * with the app's syscalls recorded too when {@code traceSyscalls} ({@link #syscalls()}): the
   * tracer is armed on the gated process with the monitor, before the app's first exec. Only
   * the host placement can: the engine placement fails saying so.
   */
  public static MonitoredRun start(ContainerEngine engine, RunSensors sensors, String image, ImageConfig config,
      RunSettings settings, List<Integer> ports, Path workDir, Map<String, String> labels, boolean traceSyscalls)
      throws BuildException {
    if (traceSyscalls && sensors.placement() == SensorPlacement.ENGINE) {
      throw syscallsNeedHost("the monitor is placed in the engine (MINIFY_SENSOR=engine, or no root)");
    }
    List<String> command = settings.command(config);
    if (command.isEmpty()) {
      throw new BuildException(FailureKind.BAD_INPUT,
          "image " + image + " has neither ENTRYPOINT nor CMD: there is no app to watch");
    }
    Gate gate = null;
    try {
      gate = sensors.gates().create(workDir);
      if (sensors.placement() != SensorPlacement.ENGINE) {
        Optional<MonitoredRun> onHost = startOnHost(engine.containers(), sensors, gate, image, command, settings,
            ports, labels, traceSyscalls);
        if (onHost.isPresent()) {
          return onHost.get();
        }
      }
      if (traceSyscalls) {
        throw syscallsNeedHost("the engine's containers are not processes of this machine (" + engine.version()
            + ")");
      }
      return startInEngine(engine, gate, image, command, settings, ports, workDir, labels);
    } catch (IOException e) {
      BuildException failed = new BuildException(FailureKind.ENVIRONMENT, "cannot create the start gate: "
          + e.getMessage(), List.of(), e);
      closeAfterFailure(failed, gate);
      throw failed;
    } catch (BuildException | RuntimeException e) {
      closeAfterFailure(e, gate);
      throw e;
    }
  }

  /**
   * The monitor on this host: the gate bind-mounted, the init pinned through {@code /proc}.
   * Empty when the engine's answers show that its containers are not this machine's processes
   * (it has no such directory to mount, or the pinned process's root does not hold our gate),
   * unless the user asked for the host placement.
   */
  private static Optional<MonitoredRun> startOnHost(ContainerRuntime containers, RunSensors sensors, Gate gate,
      String image, List<String> command, RunSettings settings, List<Integer> ports, Map<String, String> labels,
      boolean traceSyscalls) throws BuildException {
    boolean decided = sensors.placement() == SensorPlacement.HOST;
    RunningContainer container = null;
    HostProcess process = null;
    AccessMonitor monitor = null;
    SyscallTracer tracer = null;
    try {
      ContainerSpec spec = settings.spec(image, gate.wrap(command),
          Map.of(gate.hostDirectory(), StartGate.CONTAINER_DIR), ports, labels);
      try {
        container = RunningContainer.create(containers, spec);
      } catch (EngineException e) {
        if (!decided && String.valueOf(e.getMessage()).contains("bind source path does not exist")) {
          return Optional.empty(); // the engine's host has no such directory: not this machine
        }
        throw e;
      }
      // Podman makes a missing bind source (an empty directory on its host) instead of refusing it
      if (!decided && !containers.containerHasPath(container.id(), StartGate.RELEASE_PATH)) {
        closeAll(container);
        return Optional.empty();
      }
      container.start();
      int pid;
      try {
        PinnedInit init = pinInit(container, sensors.processes());
        process = init.process();
        pid = init.pid();
      } catch (IOException e) {
        if (!decided && container.state().running()) {
          closeAll(container); // running, but not as a process this machine sees
          return Optional.empty();
        }
        throw e;
      }
      if (!gate.reachedThrough(process.root())) {
        if (!decided) {
          closeAll(process, container);
          return Optional.empty();
        }
        throw new IOException("the engine's container " + container.id().substring(0, 12) + " runs as pid "
            + container.state().pid() + ", but that process does not see the start gate: the engine's containers are"
            + " not processes of this machine (set MINIFY_SENSOR=engine or auto)");
      }
      try {
        monitor = sensors.monitors().watch(process.root());
      } catch (IOException e) {
        if (!process.alive()) { // it exited while being marked: say so, not "no such file"
          throw stoppedBeforeArmed(container);
        }
        throw e;
      }
      if (traceSyscalls) {
        try {
          tracer = sensors.syscalls().trace(pid);
        } catch (IOException e) {
          throw new IOException("cannot trace the app's syscalls (--seccomp-profile): " + e.getMessage(), e);
        }
        // the number was written, not the pinned fd: it named the init if the init still lives
        if (!process.alive()) {
          throw stoppedBeforeArmed(container);
        }
      }
      gate.release(GATE_TIMEOUT);
      return Optional.of(new MonitoredRun(gate, container, new HostWatch(process, monitor), SensorPlacement.HOST,
          ContainerSpec.LOOPBACK, tracer));
    } catch (IOException e) {
      List<String> log = container == null ? List.of() : container.logTail(ProbeDriver.LOG_LINES);
      BuildException failed = new BuildException(FailureKind.ENVIRONMENT, "cannot watch the container: "
          + e.getMessage(), log, e);
      closeAfterFailure(failed, tracer, monitor, process, container);
      throw failed;
    } catch (BuildException | RuntimeException e) {
      closeAfterFailure(e, tracer, monitor, process, container);
      throw e;
    }
  }

  private static BuildException syscallsNeedHost(String why) {
    return new BuildException(FailureKind.ENVIRONMENT, "--seccomp-profile traces the app's syscalls from this host,"
        + " and " + why + ": leave out --seccomp-profile, or run minify as root on the engine's host");
  }

  /**
   * The monitor inside the engine: the gate (binary and FIFO) copied into the created
   * container through the engine API, ports published where this process reaches the engine's
   * host, and the sensor container started on the target's first process.
   */
  private static MonitoredRun startInEngine(ContainerEngine engine, Gate gate, String image, List<String> command,
      RunSettings settings, List<Integer> ports, Path workDir, Map<String, String> labels) throws BuildException {
    RunningContainer container = null;
    SidecarSensor sensor = null;
    ContainerRuntime containers = engine.containers();
    String publishAddress = containers.address().publishAddress();
    try {
      ContainerSpec spec = settings.spec(image, gate.wrap(command), Map.of(), ports, labels)
          .publishedOn(publishAddress);
      container = RunningContainer.create(containers, spec);
      containers.copyToContainer(container.id(), GateArchive.of(gate.hostDirectory(), StartGate.CONTAINER_DIR), "/");
      container.start();
      ContainerState state = container.state();
      if (!state.running() || state.pid() <= 0) {
        throw stoppedBeforeArmed(container);
      }
      sensor = SidecarSensor.arm(engine.images(), containers, workDir, state.pid(), labels);
      // the sensor pinned and released what had that pid; it is the target's if the engine still says so
      ContainerState again = container.state();
      if (!again.running() || again.pid() != state.pid()) {
        throw stoppedBeforeArmed(container);
      }
      return new MonitoredRun(gate, container, sensor, SensorPlacement.ENGINE, publishAddress, null);
    } catch (IOException e) {
      List<String> log = container == null ? List.of() : container.logTail(ProbeDriver.LOG_LINES);
      BuildException failed = new BuildException(FailureKind.ENVIRONMENT, "cannot watch the container with the"
          + " sensor in the engine (" + engine.version() + "): " + e.getMessage(), log, e);
      closeAfterFailure(failed, sensor, container);
      throw failed;
    } catch (BuildException | RuntimeException e) {
      closeAfterFailure(e, sensor, container);
      throw e;
    }
  }

  /**
   * Pins the container's init process. The engine names it by pid, and a pid is only a number:
   * if the app exited after the engine said it runs, another process of the host (another CI
   * job's) may have that number by now, and watching its root would record that job's files or
   * show it the gate. So: read the pid, pin whatever process has it, ask the engine again. Two
   * live processes never share a pid, so if the engine still says the container runs as that
   * pid and the pinned process is alive, the pin holds the container's init.
   */
  private static PinnedInit pinInit(RunningContainer container, HostProcesses processes) throws BuildException,
      IOException {
    ContainerState state = container.state();
    if (!state.running() || state.pid() <= 0) {
      throw stoppedBeforeArmed(container);
    }
    HostProcess pinned;
    try {
      pinned = processes.pin(state.pid());
    } catch (IOException e) {
      if (!container.state().running()) {
        throw stoppedBeforeArmed(container);
      }
      throw e;
    }
    ContainerState again = container.state();
    if (!again.running() || again.pid() != state.pid() || !pinned.alive()) {
      pinned.close();
      throw stoppedBeforeArmed(container);
    }
    return new PinnedInit(pinned, state.pid());
  }

  private static BuildException stoppedBeforeArmed(RunningContainer container) {
    ContainerState state = container.state();
    String how = state.running() ? "its first process exited" : "exit code " + state.exitCode();
    return new BuildException(FailureKind.BUILD_FAILED, "the container stopped before the monitor could be armed ("
        + how + ")", container.logTail(ProbeDriver.LOG_LINES), null);
  }

  public RunningContainer container() {
    return container;
  }

  /**
   * Whether the app catches {@code stopSignal} (the image's STOPSIGNAL, null for SIGTERM), read
   * from the pinned process: true when in doubt.
   */
  public boolean catchesStopSignal(String stopSignal) {
    return watch.catchesSignal(stopSignal);
  }

  /** Where the monitor ran. */
  public SensorPlacement placement() {
    return placement;
  }

  /** The engine host's address the run's ports were published on (the slim run uses the same). */
  public String publishAddress() {
    return publishAddress;
  }

  /**
   * Stops the app (its stop signal, then a kill after {@code grace}) and returns what the
   * monitor saw it open, including whatever it opened while shutting down, and the users its
   * processes ran as. What the engine says the run changed is {@link #withChanges}: asking
   * takes the engine a walk of the container's whole filesystem (1.8 s for an image of 45,000
   * files on Docker 20.10), which the build overlaps with its wait for the image reader.
   */
  public AccessLog stop(Duration grace) throws BuildException {
    // while the app still runs: which users it serves as (workers often are not the image's USER);
    // a job that already finished has none to ask about
    SortedSet<Integer> uids = container.state().running() ? container.processUids() : new TreeSet<>();
    container.stop(grace);
    try {
      AccessLog seen = watch.stop();
      stopTracer();
      // the gate copied into the container (engine placement) is minify's, never the app's
      return new AccessLog(withoutGate(seen.files()), withoutGate(seen.directories()), withoutGate(seen.executed()),
          withoutGate(seen.written()), uids, seen.events());
    } catch (MonitorOverflowException e) {
      throw new BuildException(FailureKind.BUILD_FAILED,
          "the file-access monitor lost events (" + e.getMessage() + "); the list of used files would be incomplete",
          List.of(), e);
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "reading the file-access monitor failed: " + e.getMessage(),
          List.of(), e);
    }
  }

  /** Ends the syscall trace of a run that records one, and frees the kernel's instance at once. */
  private void stopTracer() throws BuildException {
    if (tracer == null) {
      return;
    }
    try {
      syscalls = tracer.stop();
    } catch (IOException e) {
      throw new BuildException(FailureKind.ENVIRONMENT, "reading the syscall trace failed: " + e.getMessage(),
          List.of(), e);
    } finally {
      tracer.close();
    }
  }

  /**
   * The seccomp profile of what the app called while watched (after {@link #stop} of a run
   * started with {@code traceSyscalls}).
   *
   * @throws BuildException when the trace is incomplete (the kernel dropped events) or names a
   *     syscall this minify cannot name: a profile from it could deny the app what it needs
   */
  public SeccompProfile seccompProfile() throws BuildException {
    SyscallRecording recorded = syscalls().orElseThrow(() -> new IllegalStateException(
        "the run recorded no syscalls: it was not started to, or not stopped yet"));
    Architecture architecture = Architecture.host().orElseThrow(() -> new BuildException(FailureKind.ENVIRONMENT,
        "--seccomp-profile has no syscall table for this machine's architecture ("
            + System.getProperty("os.arch") + ")"));
    try {
      return SeccompProfile.of(recorded, SyscallTable.of(architecture));
    } catch (IllegalArgumentException e) {
      throw new BuildException(FailureKind.BUILD_FAILED, "--seccomp-profile: " + e.getMessage()
          + "; a profile from it could deny the app a syscall it needs (build again, or leave out --seccomp-profile)");
    }
  }

  /**
   * The syscalls the app and its children made while watched, from the gate's release to the
   * stop; present after {@link #stop} of a run started with {@code traceSyscalls}.
   */
  public Optional<SyscallRecording> syscalls() {
    return Optional.ofNullable(syscalls);
  }

  /**
   * {@code seen} (from {@link #stop}) with what the engine says the stopped run added, changed
   * or deleted among what the app wrote: {@code mkdir} and {@code unlink} leave no open event,
   * but a directory the app creates its temp dirs in is state all the same. Safe to call from
   * another thread than the one that stopped the run, before the container is removed.
   */
  public AccessLog withChanges(AccessLog seen) {
    TreeSet<UnixPath> written = new TreeSet<>(seen.written());
    for (ContainerChange change : changes()) {
      if (change.path().startsWith("/")) {
        written.add(UnixPath.of(change.path()));
      }
    }
    return new AccessLog(seen.files(), seen.directories(), seen.executed(), withoutGate(written), seen.processUids(),
        seen.events());
  }

  /**
   * What the engine says the run changed; none, with a warning, when the engine answers that
   * it cannot say (it fails to lstat a path of the image longer than it can handle): the
   * image is valid and the monitor saw what the app wrote, so the build goes on.
   */
  private List<ContainerChange> changes() {
    try {
      return container.changes();
    } catch (EngineRefusedException e) {
      warnings.add("the engine cannot list what the run changed (" + e.engineMessage() + "): what the app wrote"
          + " is what the monitor saw");
      return List.of();
    }
  }

  /** What the run could not do fully and went on without (said in the stop stage's summary). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private static SortedSet<UnixPath> withoutGate(SortedSet<UnixPath> paths) {
    UnixPath gateDir = UnixPath.of(StartGate.CONTAINER_DIR);
    TreeSet<UnixPath> kept = new TreeSet<>(paths);
    kept.removeIf(p -> p.isSameOrBelow(gateDir));
    return kept;
  }

  @Override
  public void close() {
    closeAll(tracer, watch, container, gate);
  }

  /** Undoes a half-made start; a failure to undo is attached to the cause, never hides it. */
  private static void closeAfterFailure(Exception cause, AutoCloseable... resources) {
    try {
      closeAll(resources);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static void closeAll(AutoCloseable... resources) {
    RuntimeException first = null;
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
