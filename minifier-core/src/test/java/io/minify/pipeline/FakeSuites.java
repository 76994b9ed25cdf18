package io.minify.pipeline;

import io.minify.probe.HttpProbe;
import io.minify.run.HostCommands;
import io.minify.run.HostExecCommand;
import io.minify.run.HostExecResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's shell of a {@link FakeHost}, running the user's "test suites": a command is the
 * paths it requests, as words ({@code /about.html /}); each is sent to the fake app at the
 * host port {@code MINIFY_TARGET_PORT_8080} names, and the suite exits with 0 when every one
 * answered 200, else 1, printing a line per request. So a suite really drives the fake app,
 * whose opens the monitor records, and really fails on a slim image that lacks a page.
 */
final class FakeSuites implements HostCommands {

  private final FakeHost host;
  /** Exit codes forced on the coming runs, in order, whatever the app answers. */
  private final Deque<Integer> forced = new ArrayDeque<>();
  /** "8080->30002 /about.html:200 ...", one per run: the port it was told and what it got. */
  final List<String> runs = new ArrayList<>();
  private Runnable onRun = () -> {};
  int stopped;

  FakeSuites(FakeHost host) {
    this.host = host;
  }

  /** The next runs exit with these codes, whatever the app answers (a flaky test). */
  FakeSuites force(Integer... exitCodes) {
    forced.addAll(List.of(exitCodes));
    return this;
  }

  /** Runs {@code action} as the next suite starts (an abort from another thread). */
  FakeSuites onRun(Runnable action) {
    onRun = action;
    return this;
  }

  @Override
  public HostExecResult run(HostExecCommand command, Map<String, String> env, Duration timeout, Path outputFile) {
    Runnable action = onRun;
    onRun = () -> {};
    action.run();
    int hostPort = Integer.parseInt(env.get("MINIFY_TARGET_PORT_" + FakeHost.APP_PORT));
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    for (String path : command.text().split("\\s+")) {
      Optional<FakeHost.Answer> answer;
      synchronized (host) {
        answer = host.engine.serve(HttpProbe.get(FakeHost.APP_PORT, path), hostPort);
      }
      int status = answer.map(FakeHost.Answer::status).orElse(0);
      ok &= status == 200;
      out.append(path).append(':').append(status).append('\n');
    }
    int exit = forced.isEmpty() ? (ok ? 0 : 1) : forced.poll();
    runs.add(FakeHost.APP_PORT + "->" + hostPort + " " + out.toString().strip().replace('\n', ' ') + " exit " + exit);
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    return new HostExecResult(exit, bytes, bytes.length, Duration.ofMillis(3), false);
  }

  @Override
  public void stopRunning() {
    stopped++;
  }
}
