package io.minify.run;

import io.minify.sensor.AccessMonitor;
import io.minify.sensor.fanotify.FanotifyMonitor;
import io.minify.sensor.gate.Gate;
import io.minify.sensor.gate.StartGate;
import io.minify.sensor.syscall.FtraceSyscallTracer;
import io.minify.sensor.syscall.SyscallTracer;
import io.minify.sensor.syscall.Tracefs;
import java.io.IOException;

/**
 * The host-side parts of a watched run: the start gate, the file-access monitor, the view
 * of {@code /proc} and the syscall tracer ({@code --seccomp-profile}). {@link #host()} wires
 * the real ones (root, a real kernel); pipeline tests pass fakes, so the orchestration runs
 * without either.
 */
public record RunSensors(Gate.Factory gates, AccessMonitor.Factory monitors, HostProcesses processes,
    SensorPlacement placement, SyscallTracer.Factory syscalls) {

  /** The tracer's ftrace instances are named {@code <this>-<pid>}. */
  public static final String TRACE_INSTANCE_PREFIX = "minify-syscalls";

  /** Sensors without a syscall tracer: a run asked to trace one fails saying so. */
  public RunSensors(Gate.Factory gates, AccessMonitor.Factory monitors, HostProcesses processes,
      SensorPlacement placement) {
    this(gates, monitors, processes, placement, pid -> {
      throw new IOException("no syscall tracer is wired into this build");
    });
  }

  /** Where the in-engine sensor's image is tagged, by the run id of its build. */
  public static final String SENSOR_REPOSITORY = "minify-sensor";

  /** Where the monitor runs is decided per run ({@link SensorPlacement#AUTO}). */
  public RunSensors(Gate.Factory gates, AccessMonitor.Factory monitors, HostProcesses processes) {
    this(gates, monitors, processes, SensorPlacement.AUTO);
  }

  /** The FIFO start gate, fanotify on the container's mount, and the host's {@code /proc}. */
  public static RunSensors host() {
    return host(SensorPlacement.AUTO);
  }

  /**
   * The real sensors, placed as {@code placement} says; the syscall tracer on this host's
   * tracefs, found when a run asks for it.
   */
  public static RunSensors host(SensorPlacement placement) {
    return new RunSensors(StartGate::create, FanotifyMonitor::watch, HostProcesses.proc(), placement,
        pid -> FtraceSyscallTracer.factory(Tracefs.host(), TRACE_INSTANCE_PREFIX).trace(pid));
  }
}
