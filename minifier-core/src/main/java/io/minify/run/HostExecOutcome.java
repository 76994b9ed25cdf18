package io.minify.run;

import java.util.List;

/**
 * A {@code --host-exec} command and its runs against one container: one on the original; on
 * the slim image a second when the first ended otherwise than the original's, to tell a flaky
 * test from a slim image that breaks it.
 *
 * @param runs in the order they ran, at least one
 */
public record HostExecOutcome(HostExecCommand command, List<HostExecResult> runs) {

  public HostExecOutcome {
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("a host-exec outcome without a run");
    }
  }

  public HostExecOutcome(HostExecCommand command, HostExecResult result) {
    this(command, List.of(result));
  }

  /** The run that counts: the last one. */
  public HostExecResult result() {
    return runs.get(runs.size() - 1);
  }

  /** Whether the command ran a second time because the first run differed. */
  public boolean rerun() {
    return runs.size() > 1;
  }
}
