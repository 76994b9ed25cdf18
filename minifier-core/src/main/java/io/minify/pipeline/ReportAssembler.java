package io.minify.pipeline;

import io.minify.digest.Digest;
import io.minify.engine.ImageInfo;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.pack.LayerBlob;
import io.minify.path.UnixPath;
import io.minify.probe.ProbeResult;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.report.BuildReport;
import io.minify.run.ExecOutcome;
import io.minify.run.HostExecResult;
import io.minify.run.OtherPort;
import io.minify.run.ProbeOutcome;
import io.minify.run.ProbeRecording;
import io.minify.run.Replay;
import io.minify.select.DropRule;
import io.minify.select.DroppedFile;
import io.minify.select.FoundUnit;
import io.minify.select.KeepReason;
import io.minify.select.KeepSet;
import io.minify.sensor.AccessLog;
import io.minify.verify.ProbeComparison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import io.minify.run.ExecCommand;
import io.minify.run.HostExecCommand;

/**
 * Builds the {@link BuildReport} from what the stages handed over. Every map is ordered and
 * every list follows the build's own order, so the same input gives the same report bytes
 * apart from timings and the ids of the run's temporary containers.
 */
final class ReportAssembler {

  private ReportAssembler() {}

  static BuildReport assemble(BuildContext build) {
    BuildOptions o = build.options();
    ImageInfo image = build.get(InspectStep.IMAGE);
    ImageFilesystem fs = build.get(SelectStep.CONTENT).filesystem();
    KeepSet keep = build.get(SelectStep.KEEP);
    AccessLog access = build.get(SelectStep.ACCESS);
    // a plain build's one run is the build's own context; a build with scenarios has one per scenario
    List<BuildContext> runs = build.scenarioRuns();
    Optional<ScenarioAttribution> attribution = build.hasScenarios() ? Optional.of(build.get(SelectStep.ATTRIBUTION))
        : Optional.empty();
    // the content id (config digest), the same on every image store; the engine's size of what it loaded
    Digest slimId = build.get(PackageStep.LOADED).imageId();
    long slimBytes = build.get(PackageStep.LOADED_IMAGE).sizeBytes();
    LayerBlob layer = build.get(PackageStep.LAYER);

    int originalFiles = (int) fs.entries().stream().filter(ReportAssembler::isFile).count();
    int slimFiles = (int) keep.reasons().keySet().stream()
        .filter(p -> fs.entry(p).map(ReportAssembler::isFile).orElse(false)).count();
    Map<String, Integer> byReason = new LinkedHashMap<>();
    keep.countsByReason().forEach((k, v) -> byReason.put(k.label(), v));
    Map<KeepReason, Long> bytes = new EnumMap<>(KeepReason.class);
    keep.reasons().forEach((path, why) -> fs.entry(path).filter(e -> e.type() == EntryType.FILE)
        .ifPresent(e -> bytes.merge(why.reason(), e.size(), Long::sum)));
    Map<String, Long> bytesByReason = new LinkedHashMap<>();
    bytes.forEach((k, v) -> bytesByReason.put(k.label(), v));
    List<BuildReport.KeepUnitRecord> units = keep.units().entrySet().stream()
        .map(u -> new BuildReport.KeepUnitRecord(u.getKey().label(), u.getKey().reason().label(),
            bytes.getOrDefault(u.getKey().reason(), 0L), u.getValue().stream().map(FoundUnit::describe).toList()))
        .toList();
    List<BuildReport.KeptPath> kept = keep.reasons().entrySet().stream()
        .map(e -> new BuildReport.KeptPath(e.getKey().toString(), e.getValue().reason().label(), e.getValue().detail(),
            fileBytes(fs, e.getKey()), attribution.map(a -> a.scenariosOf(e.getKey())).orElse(List.of())))
        .toList();
    List<BuildReport.DroppedPath> dropped = keep.dropped().values().stream()
        .map(d -> new BuildReport.DroppedPath(d.path().toString(), d.rule().label(), d.wouldKeep().label(),
            fileBytes(fs, d.path())))
        .toList();
    Map<DropRule, long[]> byDropRule = new EnumMap<>(DropRule.class);
    for (DroppedFile d : keep.dropped().values()) {
      long[] total = byDropRule.computeIfAbsent(d.rule(), r -> new long[2]);
      total[0]++;
      total[1] += fileBytes(fs, d.path());
    }
    List<BuildReport.DropRuleRecord> dropRules = byDropRule.entrySet().stream()
        .map(e -> new BuildReport.DropRuleRecord(e.getKey().label(), e.getKey().why(), e.getValue()[0],
            e.getValue()[1]))
        .toList();
    List<BuildReport.ExcludedPath> excluded = keep.excluded().values().stream()
        .map(x -> new BuildReport.ExcludedPath(x.path().toString(), x.glob(), x.wouldKeep().label())).toList();
    List<BuildReport.ExplainedPath> explained = keep.explanations().stream()
        .map(x -> new BuildReport.ExplainedPath(x.path(), x.kept(), x.verdict())).toList();
    return new BuildReport(MinifyVersion.current(), build.services().engine().version(), o.image(), image.id(),
        build.get(InspectStep.SLIM_TAG).toString(), slimId,
        new BuildReport.ImageStats(image.sizeBytes(), fs.entries().size(), originalFiles),
        new BuildReport.ImageStats(slimBytes, keep.size(), slimFiles),
        slimBytes == 0 ? 0 : Math.round(10.0 * image.sizeBytes() / slimBytes) / 10.0,
        new BuildReport.ElfStripping(o.stripElf(), layer.rewrittenFiles(), layer.rewriteSaved()),
        Duration.ofNanos(System.nanoTime() - build.startedNanos()).toMillis(), build.timings(),
        runs.stream().flatMap(run -> probeRecords(run).stream()).toList(),
        new BuildReport.AccessSummary(access.files().size(), access.directories().size(), access.events(),
            keep.observedNotInImage().size()),
        byReason, bytesByReason, units, dropRules, keep.unresolvedLibraries(), kept, excluded, dropped, explained,
        probeSummary(runs.stream().map(run -> run.get(ProbeStep.RECORDING)).toList()),
        attribution.map(a -> scenarioRecords(runs, a, fs)).orElse(List.of()),
        seccomp(build), runs.stream().map(ReportAssembler::recorded).toList(),
        build.find(RecallStep.MERGED_FROM).orElse(List.of()));
  }

  /** The run as {@code minify merge} reads it back. */
  private static io.minify.report.RecordedRun recorded(BuildContext run) {
    return RecordedRuns.record(run.runName().orElse(""), run.options(), run.get(ProbeStep.RECORDING),
        changes(run));
  }

  private static AccessLog changes(BuildContext run) {
    try {
      return run.get(StopStep.CHANGES).await(); // complete since selection
    } catch (io.minify.failure.BuildException e) {
      throw new IllegalStateException("a run's changes failed after selection used them", e);
    }
  }

  /** The profile of {@code --seccomp-profile}: a report of a build that got this far was verified under it. */
  private static BuildReport.SeccompSummary seccomp(BuildContext build) {
    return VerifyStep.seccompProfile(build).map(profile -> new BuildReport.SeccompSummary(
        build.options().output().seccompProfile().toString(), profile.allowed().size(), profile.observed().size(),
        true)).orElse(null);
  }


  /** How the probe stage went, over every scenario's run (one for a plain build): each item once. */
  private static BuildReport.ProbeSummary probeSummary(List<ProbeRecording> recordings) {
    Set<String> crawled = new LinkedHashSet<>();
    Set<String> skipped = new LinkedHashSet<>();
    Set<Integer> ready = new LinkedHashSet<>();
    Set<String> continued = new LinkedHashSet<>();
    Set<String> others = new LinkedHashSet<>();
    boolean truncated = false;
    for (ProbeRecording r : recordings) {
      crawled.addAll(r.crawledPages());
      skipped.addAll(r.crawlSkipped());
      ready.addAll(r.readyPorts());
      continued.add(r.continuedAfter().label());
      r.otherPorts().stream().map(OtherPort::describe).forEach(others::add);
      truncated |= r.crawlTruncated();
    }
    return new BuildReport.ProbeSummary(List.copyOf(crawled), truncated, List.copyOf(skipped), List.copyOf(ready),
        String.join(", ", continued), List.copyOf(others));
  }

  private static List<BuildReport.ScenarioRecord> scenarioRecords(List<BuildContext> runs,
      ScenarioAttribution attribution, ImageFilesystem fs) {
    List<BuildReport.ScenarioRecord> records = new ArrayList<>();
    for (BuildContext run : runs) {
      String name = run.runName().orElseThrow();
      AccessLog log = changes(run);
      int notInImage = (int) log.files().stream().filter(p -> fs.entry(p).isEmpty()).count();
      List<BuildReport.ProbeRecord> probes = probeRecords(run);
      records.add(new BuildReport.ScenarioRecord(name, run.scenario().map(ReportAssembler::settings)
              .orElseGet(() -> settings(run.options())),
          new BuildReport.AccessSummary(log.files().size(), log.directories().size(), log.events(), notInImage),
          attribution.neededBy(name), attribution.neededOnlyBy(name), probes,
          (int) probes.stream().filter(BuildReport.ProbeRecord::matches).count(),
          probeSummary(List.of(run.get(ProbeStep.RECORDING)))));
    }
    return records;
  }

  /** The scenario's fields as the file gave them. */
  private static BuildReport.ScenarioSettings settings(Scenario s) {
    return new BuildReport.ScenarioSettings(s.entrypoint(), s.cmd(), s.env(), s.workdir(), s.user(), s.httpProbe(),
        s.probes() == null ? null : s.probes().stream().map(p -> p.probe().containerPort()
            == io.minify.probe.ProbeCommandParser.ANY_PORT ? p.probe().method() + " " + p.probe().path()
            : p.probe().describe()).toList(),
        s.exec() == null ? null : s.exec().stream().map(ExecCommand::text).toList(),
        s.continueAfter() == null ? null : s.continueAfter().toString(),
        s.hostExec() == null ? null : s.hostExec().stream().map(HostExecCommand::text).toList());
  }

  /** A merged report's run: its settings as its build ran it, where they differ from docker run's. */
  private static BuildReport.ScenarioSettings settings(BuildOptions run) {
    io.minify.run.RunSettings r = run.run();
    Map<String, String> env = new LinkedHashMap<>();
    for (String variable : r.env()) {
      int eq = variable.indexOf('=');
      env.put(eq < 0 ? variable : variable.substring(0, eq), eq < 0 ? "" : variable.substring(eq + 1));
    }
    List<ExecCommand> execs = run.probing().execs();
    List<HostExecCommand> hostExecs = run.probing().hostExecs();
    return new BuildReport.ScenarioSettings(r.entrypoint(), r.cmd(), env.isEmpty() ? null : env, r.workingDir(),
        r.user(), null, null, execs.isEmpty() ? null : execs.stream().map(ExecCommand::text).toList(),
        run.probing().continueAfter().toString(),
        hostExecs.isEmpty() ? null : hostExecs.stream().map(HostExecCommand::text).toList());
  }

  /** One run's probe rows: its recording against the original, its replay against the slim image. */
  private static List<BuildReport.ProbeRecord> probeRecords(BuildContext run) {
    return probeRecords(run.get(ProbeStep.RECORDING), run.get(VerifyStep.REPLAY), run.get(VerifyStep.COMPARISONS));
  }

  /** One report row per HTTP, TCP, exec and host-exec probe, in the order of the comparisons. */
  private static List<BuildReport.ProbeRecord> probeRecords(ProbeRecording recording, Replay replayed,
      List<ProbeComparison> comparisons) {
    List<BuildReport.ProbeRecord> probes = new ArrayList<>();
    int i = 0;
    for (int h = 0; h < recording.http().size(); h++, i++) {
      ProbeOutcome o = recording.http().get(h);
      ProbeResult r = o.result();
      ProbeResult s = replayed.http().get(h).result();
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(r.probe().describe(), r.protocol().label(), r.status(), r.bodyBytes(),
          r.elapsed().toMillis(), o.bodyStable(), s.status(), s.bodyBytes(), s.elapsed().toMillis(),
          c.matches(), c.difference(), "http", o.source().label(), c.comparedOn().label(), c.runDependent()));
    }
    for (int t = 0; t < recording.tcp().size(); t++, i++) {
      TcpProbeResult r = recording.tcp().get(t);
      TcpProbeResult s = replayed.tcp().get(t);
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(r.probe().describe(), "tcp", r.ok() ? 1 : 0, r.received(),
          r.elapsed().toMillis(), true, s.ok() ? 1 : 0, s.received(), s.elapsed().toMillis(), c.matches(),
          c.difference(), "tcp", "tcp", c.comparedOn().label(), false));
    }
    for (int e = 0; e < recording.exec().size(); e++, i++) {
      ExecOutcome r = recording.exec().get(e);
      ExecOutcome s = replayed.exec().get(e);
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(c.probe(), "exec", r.result().exitCode(), r.result().output().length,
          r.result().elapsed().toMillis(), false, s.result().exitCode(), s.result().output().length,
          s.result().elapsed().toMillis(), c.matches(), c.difference(), "exec", "exec", c.comparedOn().label(), false));
    }
    for (int h = 0; h < recording.hostExec().size(); h++, i++) {
      HostExecResult r = recording.hostExec().get(h).result();
      HostExecResult s = replayed.hostExec().get(h).result();
      ProbeComparison c = comparisons.get(i);
      probes.add(new BuildReport.ProbeRecord(c.probe(), "host-exec", r.exitCode(), r.outputBytes(),
          r.elapsed().toMillis(), false, s.exitCode(), s.outputBytes(), s.elapsed().toMillis(), c.matches(),
          c.difference(), "host-exec", "host-exec", c.comparedOn().label(), false));
    }
    return probes;
  }

  /** Content bytes of a regular file of the image; 0 for other entries (a hardlink's bytes count once). */
  private static long fileBytes(ImageFilesystem fs, UnixPath path) {
    return fs.entry(path).filter(e -> e.type() == EntryType.FILE).map(FileEntry::size).orElse(0L);
  }

  private static boolean isFile(FileEntry e) {
    return e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK;
  }
}
