package io.minify.run;

import io.minify.sensor.AccessMonitor;
import io.minify.sensor.fanotify.FanotifyMonitor;
import io.minify.sensor.gate.Gate;
import io.minify.sensor.gate.StartGate;

/**
 * The host-side parts of a watched run: the start gate, the file-access monitor and the view
 * of {@code /proc}. {@link #host()} wires the real ones (root, a real kernel); pipeline tests
 * pass fakes, so the orchestration runs without either.
 */
public record RunSensors(Gate.Factory gates, AccessMonitor.Factory monitors, HostProcesses processes,
    SensorPlacement placement) {

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

  /** The real sensors, placed as {@code placement} says. */
  public static RunSensors host(SensorPlacement placement) {
    return new RunSensors(StartGate::create, FanotifyMonitor::watch, HostProcesses.proc(), placement);
  }
}
