package io.minify.pipeline;

import io.minify.report.BuildReport;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One build's state as it passes from stage to stage: the options, the outside systems, the
 * cleanup stack, and the {@link Handoff}s that stages produced so far. A stage that reads a
 * handoff no earlier stage produced is a bug in the stage list, reported as such.
 *
 * <p>A build with scenarios ({@link BuildOptions#scenarios}) has one child context per scenario
 * ({@link #scenarioRuns}): its options are the build's with the scenario's fields in their place,
 * the handoffs of the steps that run once per scenario ({@link EachScenario}) are its own, and
 * what it does not hold it reads from the build's (the image, the ports, the reader). The cleanup
 * stack, the services and the timings are the build's.
 */
public final class BuildContext {
  private final BuildContext parent;
  /** The run's name: the scenario's, or an earlier report's run in a merge; null for the build's own context. */
  private final String runName;
  private final Scenario scenario;
  private final BuildOptions options;
  private final BuildServices services;
  private final CleanupStack cleanup;
  private final long startedNanos;
  private final Map<Handoff<?>, Object> handoffs = new IdentityHashMap<>();
  private final List<BuildReport.StageTiming> timings = new ArrayList<>();
  private final List<BuildContext> scenarioRuns;

  BuildContext(BuildOptions options, BuildServices services, CleanupStack cleanup, long startedNanos) {
    this.parent = null;
    this.runName = null;
    this.scenario = null;
    this.options = options;
    this.services = services;
    this.cleanup = cleanup;
    this.startedNanos = startedNanos;
    this.scenarioRuns = options.scenarios().isEmpty() ? List.of(this)
        : options.scenarios().stream().map(s -> new BuildContext(this, s.name(), s, s.applyTo(options))).toList();
  }

  /**
   * A merge's context ({@code minify merge}): one child per run of the earlier reports, named
   * {@code names}, each with its recorded options; what the run recorded is put into it as the
   * handoffs its watched run would have produced ({@link RecallStep}).
   */
  BuildContext(BuildOptions options, Map<String, RecordedRuns.Recalled> runs, BuildServices services,
      CleanupStack cleanup, long startedNanos) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("a merge needs at least one recorded run");
    }
    this.parent = null;
    this.runName = null;
    this.scenario = null;
    this.options = options;
    this.services = services;
    this.cleanup = cleanup;
    this.startedNanos = startedNanos;
    List<BuildContext> children = new ArrayList<>();
    runs.forEach((name, recalled) -> {
      BuildContext child = new BuildContext(this, name, null, recalled.options());
      child.put(RecallStep.RECALLED, recalled);
      children.add(child);
    });
    this.scenarioRuns = List.copyOf(children);
  }

  private BuildContext(BuildContext parent, String runName, Scenario scenario, BuildOptions options) {
    this.parent = parent;
    this.runName = runName;
    this.scenario = scenario;
    this.options = options;
    this.services = parent.services;
    this.cleanup = parent.cleanup;
    this.startedNanos = parent.startedNanos;
    this.scenarioRuns = List.of(this);
  }

  /**
   * The contexts the per-scenario steps run in, in the scenario file's order: the build's own
   * when it has no scenarios, so a plain build is one run exactly as before.
   */
  public List<BuildContext> scenarioRuns() {
    return scenarioRuns;
  }

  /** The whole build's context: this one, or the build a scenario's run belongs to. */
  public BuildContext build() {
    return parent == null ? this : parent;
  }

  /**
   * Whether the build runs named runs, one or more, rather than its own options once: scenarios
   * ({@code --scenarios}), or the runs of a merge's reports.
   */
  public boolean hasScenarios() {
    return scenarioRuns.get(0).runName != null;
  }

  /** The scenario this context runs; empty for the build's own context and for a merge's runs. */
  public Optional<Scenario> scenario() {
    return Optional.ofNullable(scenario);
  }

  /** The name of the run this context is for (a scenario's, a merged report's run); empty for the build's own. */
  public Optional<String> runName() {
    return Optional.ofNullable(runName);
  }

  /** A stage's name with the run it ran for: "probe (worker)"; the stage alone without one. */
  String label(Stage stage) {
    return runName == null ? stage.label() : stage.label() + " (" + runName + ")";
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

  /** What an earlier stage handed over: to this scenario's run, or else to the whole build. */
  @SuppressWarnings("unchecked") // put() only stores a T under a Handoff<T>
  public synchronized <T> T get(Handoff<T> slot) {
    Object value = handoffs.get(slot);
    if (value == null && parent != null) {
      return parent.get(slot); // a child locks its parent, never the other way: no deadlock
    }
    if (value == null) {
      throw new IllegalStateException(slot + " is not known yet: no earlier stage produced it");
    }
    return (T) value;
  }

  /**
   * What an earlier stage handed over, if one did: for a handoff only some kinds of build
   * produce (a merge's earlier keep sets); {@link #get} for every other.
   */
  @SuppressWarnings("unchecked") // put() only stores a T under a Handoff<T>
  public synchronized <T> Optional<T> find(Handoff<T> slot) {
    Object value = handoffs.get(slot);
    if (value == null && parent != null) {
      return parent.find(slot);
    }
    return Optional.ofNullable((T) value);
  }

  /** The stages finished so far, in order: the build's, with every scenario's. */
  public List<BuildReport.StageTiming> timings() {
    if (parent != null) {
      return parent.timings();
    }
    synchronized (this) {
      return List.copyOf(timings);
    }
  }

  void finished(BuildReport.StageTiming timing) {
    if (parent != null) {
      parent.finished(timing);
      return;
    }
    synchronized (this) {
      timings.add(timing);
    }
  }
}
