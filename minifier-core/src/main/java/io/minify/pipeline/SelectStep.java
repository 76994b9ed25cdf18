package io.minify.pipeline;

import io.minify.analysis.ByteSize;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.EntryType;
import io.minify.image.ImageFilesystem;
import io.minify.select.KeepRuleException;
import io.minify.select.KeepSet;
import io.minify.select.KeepSetSelector;
import io.minify.sensor.AccessLog;
import io.minify.path.UnixPath;
import io.minify.run.ExecCommand;
import io.minify.select.KeepRules;
import io.minify.select.KeptBecause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stage 6: waits for the image reader and for the engine's list of what the run changed,
 * then turns what the app opened and wrote into the keep set (libraries, keep units, the
 * user's rules). With scenarios, their runs' logs are merged first, and each run is also
 * selected alone to say which scenarios needed each kept path ({@link ScenarioAttribution}).
 */
final class SelectStep implements BuildStep {
  static final Handoff<ImageContent> CONTENT = Handoff.named("the original's files");
  static final Handoff<AccessLog> ACCESS = Handoff.named("what the original opened and changed");
  static final Handoff<KeepSet> KEEP = Handoff.named("the keep set");
  /** Which scenarios needed each kept path; produced only for a build with scenarios. */
  static final Handoff<ScenarioAttribution> ATTRIBUTION = Handoff.named("the scenarios each kept path is for");

  @Override
  public Stage stage() {
    return Stage.SELECT;
  }

  @Override
  public String run(BuildContext build) throws BuildException {
    ImageContent content = build.get(InspectStep.READER).await();
    StartStep.refuseTakenGateMountPoint(content);
    build.put(CONTENT, content);
    // each scenario's run, in order (the build's own for a plain build): what they used together is kept
    Map<String, AccessLog> logs = new LinkedHashMap<>();
    List<ExecCommand> execs = new ArrayList<>();
    for (BuildContext run : build.scenarioRuns()) {
      logs.put(scenarioName(run), run.get(StopStep.CHANGES).await());
      execs.addAll(run.options().probing().execs());
    }
    ScenarioAccess observed = ScenarioAccess.merge(logs);
    AccessLog access = observed.merged();
    build.put(ACCESS, access);
    ImageFilesystem fs = content.filesystem();
    // a merge keeps whatever its earlier builds kept, also by keep rules it was not given again
    KeepSet keep = withKeptBefore(select(fs, build, build.options().selectionRules(execs), access),
        build.scenarioRuns(), fs);
    build.put(KEEP, keep);
    if (build.hasScenarios()) {
      // each scenario selected alone says which of them needed each kept path (libraries and units included)
      Map<String, Set<UnixPath>> own = new LinkedHashMap<>();
      for (BuildContext run : build.scenarioRuns()) {
        own.put(scenarioName(run), withKeptBefore(select(fs, build, run.options().selectionRules(),
            logs.get(scenarioName(run))), List.of(run), fs).reasons().keySet());
      }
      build.put(ATTRIBUTION, ScenarioAttribution.of(keep.reasons().keySet(), own));
    }
    return keep.size() + " of " + fs.entries().size() + " entries kept"
        + (keep.excluded().isEmpty() ? "" : ", " + keep.excluded().size() + " excluded by pattern")
        + (keep.dropped().isEmpty() ? "" : ", " + keep.dropped().size() + " that no loader reads dropped ("
            + ByteSize.megabytes(droppedBytes(fs, keep)) + ")")
        + (build.scenarioRuns().size() > 1 ? ", of " + build.scenarioRuns().size() + " scenarios' runs" : "")
        + Stream.concat(build.scenarioRuns().stream().flatMap(SelectStep::runWarnings), keep.warnings().stream())
            .map(w -> "; warning: " + w).collect(Collectors.joining());
  }

  private static KeepSet select(ImageFilesystem fs, BuildContext build, KeepRules rules, AccessLog access)
      throws BuildException {
    try {
      return new KeepSetSelector(fs, build.get(InspectStep.CONFIG), rules).select(access);
    } catch (KeepRuleException e) {
      throw new BuildException(FailureKind.BAD_INPUT, e.getMessage());
    }
  }

  /** {@code keep} with what the earlier builds of {@code runs} kept (a merge's runs; nothing for a build's). */
  private static KeepSet withKeptBefore(KeepSet keep, List<BuildContext> runs, ImageFilesystem fs) {
    SortedMap<UnixPath, KeptBecause> before = new TreeMap<>();
    for (BuildContext run : runs) {
      run.find(RecallStep.KEPT_BEFORE).ifPresent(kept -> kept.forEach((path, why) -> {
        if (fs.entry(path).isPresent()) {
          before.putIfAbsent(path, why);
        }
      }));
    }
    return before.isEmpty() ? keep : keep.plus(before);
  }

  /** The run's name (a scenario's, a merged report's run); "" for the build's own run. */
  static String scenarioName(BuildContext run) {
    return run.runName().orElse("");
  }

  private static Stream<String> runWarnings(BuildContext run) {
    String prefix = run.runName().map(name -> name + ": ").orElse("");
    return run.get(StopStep.CHANGES).warnings().stream().map(w -> prefix + w);
  }

  private static long droppedBytes(ImageFilesystem fs, KeepSet keep) {
    long bytes = 0;
    for (var path : keep.dropped().keySet()) {
      bytes += fs.entry(path).filter(e -> e.type() == EntryType.FILE).map(e -> e.size()).orElse(0L);
    }
    return bytes;
  }
}
