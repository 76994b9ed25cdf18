package io.minify.run;

import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.engine.ContainerState;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Drives a running container with a probe plan: first waits until every probed port
 * answers HTTP (any status counts: the app is up), checking between attempts that the
 * container still runs so a crashed app fails fast with its log instead of a timeout.
 */
public final class ProbeDriver {

  private static final HttpProber.RetryPolicy READINESS_ATTEMPT =
      new HttpProber.RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(5));
  private static final HttpProber.RetryPolicy PROBE_RETRY =
      new HttpProber.RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(30));
  private static final Duration READINESS_PAUSE = Duration.ofMillis(250);
  static final int LOG_LINES = 20;

  private final HttpProber prober;
  private final Duration startTimeout;

  public ProbeDriver(HttpProber prober, Duration startTimeout) {
    this.prober = prober;
    this.startTimeout = startTimeout;
  }

  /**
   * Runs the plan against the original image; each probe is sent twice to learn whether its
   * body is stable.
   */
  public List<ProbeOutcome> probeOriginal(RunningContainer container, List<HttpProbe> plan) throws BuildException {
    awaitReady(container, plan);
    List<ProbeOutcome> outcomes = new ArrayList<>();
    for (HttpProbe probe : plan) {
      ProbeResult first = send(container, probe);
      if (!first.answered()) {
        throw new BuildException(FailureKind.BUILD_FAILED,
            "probe " + probe.describe() + " got no response from the original image: " + first.error(),
            container.logTail(LOG_LINES), null);
      }
      ProbeResult second = send(container, probe);
      boolean stable = second.answered() && Objects.equals(first.bodySha256(), second.bodySha256());
      outcomes.add(new ProbeOutcome(first, stable));
    }
    return outcomes;
  }

  /** Replays the plan against another container (the slim image), once each. */
  public List<ProbeResult> replay(RunningContainer container, List<HttpProbe> plan) throws BuildException {
    awaitReady(container, plan);
    List<ProbeResult> results = new ArrayList<>();
    for (HttpProbe probe : plan) {
      results.add(send(container, probe));
    }
    return results;
  }

  private ProbeResult send(RunningContainer container, HttpProbe probe) throws BuildException {
    return prober.execute(probe, hostPort(container, probe.containerPort()), PROBE_RETRY);
  }

  private void awaitReady(RunningContainer container, List<HttpProbe> plan) throws BuildException {
    Set<Integer> waited = new LinkedHashSet<>();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    for (HttpProbe probe : plan) {
      if (!waited.add(probe.containerPort())) {
        continue;
      }
      int hostPort = hostPort(container, probe.containerPort());
      HttpProbe readiness = new HttpProbe(probe.protocol(), "GET", probe.path(), probe.containerPort(),
          probe.headers(), new byte[0]);
      String lastError = "no attempt made";
      while (true) {
        ContainerState state = container.state();
        if (!state.running()) {
          throw new BuildException(FailureKind.BUILD_FAILED,
              "the app exited with code " + state.exitCode() + " before port " + probe.containerPort()
                  + " answered" + (state.error().isEmpty() ? "" : " (" + state.error() + ")"),
              container.logTail(LOG_LINES), null);
        }
        ProbeResult r = prober.execute(readiness, hostPort, READINESS_ATTEMPT);
        if (r.answered()) {
          break;
        }
        lastError = r.error();
        if (System.nanoTime() > deadline) {
          throw new BuildException(FailureKind.BUILD_FAILED,
              "port " + probe.containerPort() + " never answered HTTP within " + startTimeout.toSeconds()
                  + "s (last error: " + lastError + ")",
              container.logTail(LOG_LINES), null);
        }
        sleep(READINESS_PAUSE);
      }
    }
  }

  private static int hostPort(RunningContainer container, int containerPort) throws BuildException {
    Integer port = container.hostPorts().get(containerPort);
    if (port == null) {
      throw new BuildException(FailureKind.BAD_INPUT,
          "port " + containerPort + " is not published by the container (is it exposed by the image?)");
    }
    return port;
  }

  private static void sleep(Duration d) throws BuildException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException(FailureKind.INTERRUPTED, "interrupted while waiting for the app");
    }
  }
}
