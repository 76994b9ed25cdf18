package io.minify.pipeline;

import io.minify.engine.ContainerEngine;
import io.minify.probe.HttpProber;
import io.minify.probe.tcp.TcpProber;
import io.minify.run.HostCommands;
import io.minify.run.RunSensors;
import io.minify.run.ShellHostCommands;
import io.minify.run.Sleeper;
import io.minify.run.StopWaiter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every outside system a build talks to, one interface each. The CLI wires the real ones
 * (the Docker engine, Netty, sockets, fanotify, the FIFO gate, {@code /proc}); pipeline tests
 * wire fakes, so the orchestration runs without root or an engine.
 *
 * @param httpProbers a fresh HTTP prober per use: the probe and verify stages each close theirs
 * @param stopWaiter  waits out {@code --continue-after} once the probes are done
 * @param sleeper     the clock of the waits for the app (readiness, the gap between a probe's
 *                    two requests): the system's, or in tests one that does not take real time
 * @param host        who this process is, and whether the builds that left things are alive
 * @param notices     lines the user must see even with {@code --quiet} (what was reaped)
 * @param hostCommands this host's shell, which runs the {@code --host-exec} commands
 */
public record BuildServices(
    ContainerEngine engine,
    Supplier<HttpProber> httpProbers,
    TcpProber tcpProber,
    RunSensors sensors,
    StopWaiter stopWaiter,
    Sleeper sleeper,
    HostFacts host,
    Consumer<String> notices,
    HostCommands hostCommands) {

  /** Services whose {@code --host-exec} commands run through this host's real shell. */
  public BuildServices(ContainerEngine engine, Supplier<HttpProber> httpProbers, TcpProber tcpProber,
      RunSensors sensors, StopWaiter stopWaiter, Sleeper sleeper, HostFacts host, Consumer<String> notices) {
    this(engine, httpProbers, tcpProber, sensors, stopWaiter, sleeper, host, notices, new ShellHostCommands());
  }
}
