package io.minify.report;

import java.util.List;

/**
 * What a failed build writes to {@code --report} instead of a {@link BuildReport}: where it
 * stopped, why, the stages it finished, and what it undid, so a CI job can tell a slim image
 * that broke from a host that could not run the build without reading the log.
 *
 * @param stage         the stage that failed, or "interrupted" stages as they were; empty when
 *                      the build failed before its first stage
 * @param kind          "build_failed", "bad_input", "environment" or "interrupted"
 * @param exitCode      the process exit code that goes with {@code kind}
 * @param cleaned       what was undone, newest first ("slim container", "work directory")
 * @param cleanupFailed what could not be undone, as "name: message"
 */
public record FailureReport(
    String minifyVersion,
    String engine,
    String image,
    boolean failed,
    String stage,
    String kind,
    int exitCode,
    String message,
    List<String> containerLog,
    List<BuildReport.StageTiming> stages,
    List<String> cleaned,
    List<String> cleanupFailed,
    long totalMillis) {

  public FailureReport {
    containerLog = List.copyOf(containerLog);
    stages = List.copyOf(stages);
    cleaned = List.copyOf(cleaned);
    cleanupFailed = List.copyOf(cleanupFailed);
  }
}
