package io.minify.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.minify.digest.Digest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a build found, written as minify-report.json (schema in the README) and
 * summarised as the human table.
 */
public record BuildReport(
    String minifyVersion,
    String engine,
    String image,
    Digest imageId,
    String slimImage,
    Digest slimImageId,
    ImageStats original,
    ImageStats slim,
    double ratio,
    ElfStripping strippedElf,
    long totalMillis,
    List<StageTiming> stages,
    List<ProbeRecord> probes,
    AccessSummary access,
    Map<String, Integer> keptByReason,
    Map<String, Long> keptBytesByReason,
    List<KeepUnitRecord> keepUnits,
    List<DropRuleRecord> dropRules,
    List<String> unresolvedLibraries,
    List<KeptPath> kept,
    List<ExcludedPath> excluded,
    List<DroppedPath> dropped,
    List<ExplainedPath> explained,
    ProbeSummary probing,
    List<ScenarioRecord> scenarios,
    @JsonInclude(JsonInclude.Include.NON_NULL) SeccompSummary seccomp,
    List<RecordedRun> runs,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mergedFrom) {

  /** A report without the runs {@code minify merge} reads, and not of a merge. */
  public BuildReport(String minifyVersion, String engine, String image, Digest imageId, String slimImage,
      Digest slimImageId, ImageStats original, ImageStats slim, double ratio, ElfStripping strippedElf,
      long totalMillis, List<StageTiming> stages, List<ProbeRecord> probes, AccessSummary access,
      Map<String, Integer> keptByReason, Map<String, Long> keptBytesByReason, List<KeepUnitRecord> keepUnits,
      List<DropRuleRecord> dropRules, List<String> unresolvedLibraries, List<KeptPath> kept,
      List<ExcludedPath> excluded, List<DroppedPath> dropped, List<ExplainedPath> explained, ProbeSummary probing,
      List<ScenarioRecord> scenarios, SeccompSummary seccomp) {
    this(minifyVersion, engine, image, imageId, slimImage, slimImageId, original, slim, ratio, strippedElf,
        totalMillis, stages, probes, access, keptByReason, keptBytesByReason, keepUnits, dropRules,
        unresolvedLibraries, kept, excluded, dropped, explained, probing, scenarios, seccomp, List.of(), List.of());
  }

  /** A report without a seccomp profile. */
  public BuildReport(String minifyVersion, String engine, String image, Digest imageId, String slimImage,
      Digest slimImageId, ImageStats original, ImageStats slim, double ratio, ElfStripping strippedElf,
      long totalMillis, List<StageTiming> stages, List<ProbeRecord> probes, AccessSummary access,
      Map<String, Integer> keptByReason, Map<String, Long> keptBytesByReason, List<KeepUnitRecord> keepUnits,
      List<DropRuleRecord> dropRules, List<String> unresolvedLibraries, List<KeptPath> kept,
      List<ExcludedPath> excluded, List<DroppedPath> dropped, List<ExplainedPath> explained, ProbeSummary probing,
      List<ScenarioRecord> scenarios) {
    this(minifyVersion, engine, image, imageId, slimImage, slimImageId, original, slim, ratio, strippedElf,
        totalMillis, stages, probes, access, keptByReason, keptBytesByReason, keepUnits, dropRules,
        unresolvedLibraries, kept, excluded, dropped, explained, probing, scenarios, null);
  }

  public BuildReport {
    stages = List.copyOf(stages);
    probes = List.copyOf(probes);
    // ordered maps: the same build writes the same report bytes
    keptByReason = Collections.unmodifiableMap(new LinkedHashMap<>(keptByReason));
    keptBytesByReason = Collections.unmodifiableMap(new LinkedHashMap<>(keptBytesByReason));
    keepUnits = List.copyOf(keepUnits);
    dropRules = List.copyOf(dropRules);
    dropped = List.copyOf(dropped);
    unresolvedLibraries = List.copyOf(unresolvedLibraries);
    kept = List.copyOf(kept);
    excluded = List.copyOf(excluded);
    explained = List.copyOf(explained);
    scenarios = List.copyOf(scenarios);
    runs = List.copyOf(runs);
    mergedFrom = List.copyOf(mergedFrom);
  }

  /** The same report with the build's final timings (the report stage itself included). */
  public BuildReport withTimings(long totalMillis, List<StageTiming> stages) {
    return new BuildReport(minifyVersion, engine, image, imageId, slimImage, slimImageId, original, slim, ratio,
        strippedElf, totalMillis, stages, probes, access, keptByReason, keptBytesByReason, keepUnits, dropRules,
        unresolvedLibraries, kept, excluded, dropped, explained, probing, scenarios, seccomp, runs, mergedFrom);
  }

  /**
   * The seccomp profile of {@code --seccomp-profile}.
   *
   * @param profile       where it was written
   * @param syscalls      how many syscalls it allows
   * @param observed      how many of them the app made while watched (the rest: the container
   *                      runtime's, after it applied the profile)
   * @param verifiedUnder whether the slim image passed verification running under it (always,
   *                      in a report of a successful build)
   */
  public record SeccompSummary(String profile, int syscalls, int observed, boolean verifiedUnder) {}

  /**
   * Size and content of an image.
   *
   * @param bytes   the engine's size of the image
   * @param entries filesystem entries of every kind (files, dirs, links)
   * @param files   regular files
   */
  public record ImageStats(long bytes, int entries, int files) {}

  /**
   * What --strip-elf did to the slim layer.
   *
   * @param enabled    whether it was asked for
   * @param files      kept ELF programs and shared objects written without their debug
   *                   information and static symbol table (each hardlinked file once)
   * @param bytesSaved bytes of the layer's content this saved (the sizes per reason in
   *                   {@code keptBytesByReason} are the image's, before stripping)
   */
  public record ElfStripping(boolean enabled, int files, long bytesSaved) {
    public static final ElfStripping OFF = new ElfStripping(false, 0, 0);
  }

  public record StageTiming(String stage, long millis, String summary) {}

  /**
   * One probe: its answer from the original and from the slim image. For {@code kind} "tcp"
   * the status is 1 when the probe succeeded (connected, expected bytes seen), else 0, and
   * bytes are bytes received; for "exec" and "host-exec" the status is the exit code (-1: no
   * exit within the time limit) and bytes the output; a host-exec's slim status is that of its
   * last run (a second one when the first ended otherwise than the original's).
   *
   * @param kind         "http", "tcp", "exec" or "host-exec"
   * @param source       for HTTP: "default", "cmd", "file", "crawl" or "apispec"; else the kind
   * @param comparedOn   what the slim image's answer had to keep: "body" (the bytes), "shape"
   *                     (status, content type and the body with its numbers masked), "type"
   *                     (status and content type) or "status"
   * @param runDependent whether a second run of the original answered with other bytes than
   *                     the first (a start time, a row seeded at start): compared on what both
   *                     runs kept
   */
  public record ProbeRecord(String probe, String protocol, int originalStatus, long originalBytes,
      long originalMillis, boolean bodyStable, int slimStatus, long slimBytes, long slimMillis, boolean matches,
      String difference, String kind, String source, String comparedOn, boolean runDependent) {}

  /**
   * How the probe stage went, beyond the single probes.
   *
   * @param crawledPages   every page the crawler visited ("GET :8080/lazy"), empty without a crawl
   * @param crawlTruncated whether the crawl bounds left links unvisited
   * @param crawlSkipped   links the crawler did not follow because they look destructive ("GET :8080/logout")
   * @param readyPorts     published ports that accepted connections before the TCP and exec probes ran,
   *                       in both runs (empty without such probes)
   * @param continuedAfter what ended the probe stage ("probe", "timeout:30", "signal", "app exited"...)
   * @param otherPorts     exposed ports that speak something other than HTTP, with what they did
   *                       with an HTTP request ("5672 (answered \"AMQP\\x00\\x00\\x09\\x01\" to an HTTP
   *                       request)"): not probed over HTTP, kept published and watched, and
   *                       required to accept connections on the slim image
   */
  public record ProbeSummary(List<String> crawledPages, boolean crawlTruncated, List<String> crawlSkipped,
      List<Integer> readyPorts, String continuedAfter, List<String> otherPorts) {
    public ProbeSummary {
      crawledPages = List.copyOf(crawledPages);
      crawlSkipped = List.copyOf(crawlSkipped);
      readyPorts = List.copyOf(readyPorts);
      otherPorts = List.copyOf(otherPorts);
    }
  }

  /**
   * What the monitor saw.
   *
   * @param files              distinct files opened or executed
   * @param directories        distinct directories opened
   * @param events             fanotify events read
   * @param observedNotInImage opened paths the image does not hold (run-time files)
   */
  public record AccessSummary(int files, int directories, long events, int observedNotInImage) {}

  /**
   * One entry of the slim image.
   *
   * @param reason the kind of reason ("observed", "included", "elf_needed", ...)
   * @param detail which rule or path caused it ("include rule 2: --include-path /etc/ssl"), or ""
   * @param bytes  content bytes of a regular file, 0 for other entries
   * @param scenarios the scenarios whose run, selected alone, keeps the path (a build with
   *               {@code --scenarios} only; left out of the JSON otherwise)
   */
  public record KeptPath(String path, String reason, String detail, long bytes,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> scenarios) {
    public KeptPath {
      scenarios = List.copyOf(scenarios);
    }

    /** A kept path of a build without scenarios. */
    public KeptPath(String path, String reason, String detail, long bytes) {
      this(path, reason, detail, bytes, List.of());
    }
  }

  /**
   * One scenario of a build with {@code --scenarios}: what it set, what its watched run used,
   * what only it needed, and its probes against the original and the slim image.
   *
   * @param name           its name in the scenario file
   * @param settings       its fields as the file gave them (null where it keeps the build's option)
   * @param access         what its watched run opened
   * @param keptNeeded     kept paths its run, selected alone, keeps
   * @param keptOnlyThis   of those, the ones no other scenario needed: what a build without it would lose
   * @param probes         its probes, as in the build's {@code probes}
   * @param probesMatching how many of them the slim image answered as the original did (all, in a
   *                       report of a build that passed)
   * @param probing        its probe stage, as the build's {@code probing}
   */
  public record ScenarioRecord(String name, ScenarioSettings settings, AccessSummary access, long keptNeeded,
      long keptOnlyThis, List<ProbeRecord> probes, int probesMatching, ProbeSummary probing) {
    public ScenarioRecord {
      probes = List.copyOf(probes);
    }
  }

  /**
   * A scenario's fields as the scenario file gave them: null (or left out) where the scenario
   * keeps the build's option. Its {@code env} holds the scenario's own variables only, never the
   * build's {@code --env}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScenarioSettings(List<String> entrypoint, List<String> cmd, Map<String, String> env, String workdir,
      String user, Boolean httpProbe, List<String> probes, List<String> exec, String continueAfter,
      List<String> hostExec) {}

  /**
   * A path a drop rule took out of what a keep unit rule kept for safety.
   *
   * @param rule      the drop rule ("docs", "bytecode-caches", ...)
   * @param wouldKeep the reason that kept it before ("code_unit", ...)
   * @param bytes     content bytes of a regular file, 0 for other entries
   */
  public record DroppedPath(String path, String rule, String wouldKeep, long bytes) {}

  /**
   * What one drop rule took out.
   *
   * @param rule    its name ("docs", "test-suites", ...)
   * @param why     why no loader reads what it drops
   * @param entries entries it dropped
   * @param bytes   regular-file bytes it dropped
   */
  public record DropRuleRecord(String rule, String why, long entries, long bytes) {}

  /**
   * A path an --exclude-pattern dropped although it would have been kept.
   *
   * @param pattern   the glob
   * @param wouldKeep the reason it would have been kept for ("observed", ...)
   */
  public record ExcludedPath(String path, String pattern, String wouldKeep) {}

  /**
   * What one keep unit rule did.
   *
   * @param unit   its name ("state-trees", "code-units", ...)
   * @param reason the reason its entries are reported with in {@code kept}
   * @param bytes  regular-file bytes kept for this reason (its cost)
   * @param found  one line per unit it kept ("node package /app/node_modules/iconv-lite (...)")
   */
  public record KeepUnitRecord(String unit, String reason, long bytes, List<String> found) {
    public KeepUnitRecord {
      found = List.copyOf(found);
    }
  }

  /** The answer to one --explain PATH: "kept: observed", "dropped: not observed, ...". */
  public record ExplainedPath(String path, boolean kept, String verdict) {}
}
