package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.UnusedContainerRuntime;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What ends {@code --continue-after timeout:N}: the time, or the app exiting on its own; an
 * exit with 0 is an end like the time's, one with another code fails the build. On a
 * {@link VirtualClock}: the wait costs the test no time.
 */
class StopWaiterTest {
  private final VirtualClock clock = new VirtualClock();
  private final StringWriter prompts = new StringWriter();
  private final StopWaiter waiter = new StopWaiter(new PrintWriter(prompts), clock);

  @Test
  void theTimeRunsOutWhileTheAppRuns() throws Exception {
    ProbeEnd end = waiter.await(ContinueAfter.parse("timeout:30"), container(Long.MAX_VALUE, 0));
    assertEquals(new ProbeEnd.AsPlanned(ContinueAfter.parse("timeout:30")), end);
    assertEquals("timeout:30", end.label());
    assertEquals(Duration.ofSeconds(30), clock.elapsed());
    assertEquals("[minify] watching the app for 30s more\n", prompts.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void anAppThatExitsWithZeroEndsTheWaitCarryingItsState() throws Exception {
    ProbeEnd end = waiter.await(ContinueAfter.parse("timeout:30"), container(Duration.ofSeconds(2).toNanos(), 0));
    assertEquals(new ProbeEnd.AppExited(new ContainerState(false, 0, 0, "")), end);
    assertEquals("app exited", end.label());
    assertEquals(Duration.ofSeconds(5), clock.elapsed(),
        "seen at the poll at 2 s, then 3 s of asking the engine whether it is going away (it is not)");
  }

  @Test
  void anAppKilledWhileWatchedFailsTheBuildNamingTheSignal() {
    BuildException e = assertThrows(BuildException.class,
        () -> waiter.await(ContinueAfter.parse("timeout:30"), container(Duration.ofSeconds(1).toNanos(), 137)));
    assertEquals(FailureKind.BUILD_FAILED, e.kind());
    assertEquals("the app exited with code 137 (signal 9) while it was watched", e.getMessage());
    assertEquals(List.of("app log"), e.containerLog());
  }

  @Test
  void withoutAWaitTheModeEndsTheStageAtOnce() throws Exception {
    assertEquals(new ProbeEnd.AsPlanned(ContinueAfter.PROBE), waiter.await(ContinueAfter.PROBE, null));
    assertEquals(Duration.ZERO, clock.elapsed());
  }

  /** A started container whose app exits with {@code exitCode} when the clock passes {@code exitsAt}. */
  private RunningContainer container(long exitsAt, int exitCode) {
    RunningContainer container = RunningContainer.create(new UnusedContainerRuntime() {
      @Override
      public String createContainer(ContainerSpec spec) {
        return "c".repeat(64);
      }

      @Override
      public void startContainer(String containerId) {}

      @Override
      public Map<Integer, Integer> publishedPorts(String containerId) {
        return Map.of();
      }

      @Override
      public ContainerState containerState(String containerId) {
        boolean running = clock.nanoTime() < exitsAt;
        return new ContainerState(running, running ? 4242 : 0, running ? 0 : exitCode, "");
      }

      @Override
      public boolean answers(Duration within) {
        return true; // the engine stays: the app ended on its own
      }

      @Override
      public List<String> logTail(String containerId, int lines) {
        return List.of("app log");
      }
    }, new ContainerSpec("app:1", List.of(), Map.of(), List.of(), Map.of()));
    container.start();
    return container;
  }
}
