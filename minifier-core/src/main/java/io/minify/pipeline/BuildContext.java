package io.minify.pipeline;

import io.minify.report.BuildReport;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One build's state as it passes from stage to stage: the options, the outside systems, the
 * cleanup stack, and the {@link Handoff}s that stages produced so far. A stage that reads a
 * handoff no earlier stage produced is a bug in the stage list, reported as such.
 */
public final class BuildContext {
  private final BuildOptions options;
  private final BuildServices services;
  private final CleanupStack cleanup;
  private final long startedNanos;
  private final Map<Handoff<?>, Object> handoffs = new IdentityHashMap<>();
  private final List<BuildReport.StageTiming> timings = new ArrayList<>();

  BuildContext(BuildOptions options, BuildServices services, CleanupStack cleanup, long startedNanos) {
    this.options = options;
    this.services = services;
    this.cleanup = cleanup;
    this.startedNanos = startedNanos;
  }

  public BuildOptions options() {
    return options;
  }

  public BuildServices services() {
    return services;
  }

  public CleanupStack cleanup() {
    return cleanup;
  }

  /** {@link System#nanoTime()} when the build began. */
  public long startedNanos() {
    return startedNanos;
  }

  /** Hands {@code value} to the later stages; each handoff is produced once. */
  public synchronized <T> void put(Handoff<T> slot, T value) {
    if (value == null) {
      throw new IllegalArgumentException(slot + " cannot be null");
    }
    if (handoffs.putIfAbsent(slot, value) != null) {
      throw new IllegalStateException(slot + " was already produced by an earlier stage");
    }
  }

  /** What an earlier stage handed over. */
  @SuppressWarnings("unchecked") // put() only stores a T under a Handoff<T>
  public synchronized <T> T get(Handoff<T> slot) {
    Object value = handoffs.get(slot);
    if (value == null) {
      throw new IllegalStateException(slot + " is not known yet: no earlier stage produced it");
    }
    return (T) value;
  }

  /** The stages finished so far, in order. */
  public synchronized List<BuildReport.StageTiming> timings() {
    return List.copyOf(timings);
  }

  synchronized void finished(BuildReport.StageTiming timing) {
    timings.add(timing);
  }
}
