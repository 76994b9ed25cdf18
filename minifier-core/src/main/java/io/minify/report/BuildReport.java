package io.minify.report;

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
    ProbeSummary probing) {

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
  }

  /** The same report with the build's final timings (the report stage itself included). */
  public BuildReport withTimings(long totalMillis, List<StageTiming> stages) {
    return new BuildReport(minifyVersion, engine, image, imageId, slimImage, slimImageId, original, slim, ratio,
        strippedElf, totalMillis, stages, probes, access, keptByReason, keptBytesByReason, keepUnits, dropRules,
        unresolvedLibraries, kept, excluded, dropped, explained, probing);
  }

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
   */
  public record KeptPath(String path, String reason, String detail, long bytes) {}

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
