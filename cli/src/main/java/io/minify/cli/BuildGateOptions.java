package io.minify.cli;

import io.minify.analysis.ByteSize;
import io.minify.report.BuildReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * CI gates on the result of {@code minify build}: the slim image is built, verified and
 * tagged as usual, and then a gate that does not hold makes the command exit 4 with one line
 * naming it, so a pipeline stops on a slim image that came out too big.
 */
final class BuildGateOptions {

  @Option(names = "--fail-if-ratio-below", paramLabel = "R", converter = Gates.Ratio.class,
      description = "Gate: exit 4 when the original's size / the slim image's size is below R (such as 2.5).")
  Gates.Threshold minRatio;

  @Option(names = "--max-size", paramLabel = "SIZE", converter = Gates.Size.class,
      description = "Gate: exit 4 when the slim image is larger than SIZE (50MB, 1.5GiB, 123456).")
  Gates.ByteLimit maxSize;

  /** The gates {@code report} does not pass, one sentence each; empty when all hold. */
  List<String> failures(BuildReport report) {
    List<String> failed = new ArrayList<>();
    if (minRatio != null && report.ratio() < minRatio.value()) {
      failed.add(String.format(Locale.ROOT, "ratio %.1f is below --fail-if-ratio-below %s", report.ratio(),
          minRatio.given()));
    }
    long slim = report.slim().bytes();
    if (maxSize != null && slim > maxSize.bytes()) {
      failed.add("the slim image is " + slim + " bytes (" + ByteSize.format(slim) + "), above --max-size "
          + maxSize.given());
    }
    return failed;
  }
}
