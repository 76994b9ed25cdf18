package io.minify.cli;

import io.minify.analysis.ByteSize;
import io.minify.report.BuildReport;
import java.io.PrintWriter;
import java.util.Locale;

/** The human before/after table printed at the end of a build. */
final class SummaryTable {

  private final BuildReport report;

  SummaryTable(BuildReport report) {
    this.report = report;
  }

  void print(PrintWriter out) {
    out.println();
    out.printf(Locale.ROOT, "%-10s %-40s %12s %9s%n", "", "image", "size", "files");
    row(out, "original", report.image(), report.original());
    row(out, "slim", report.slimImage(), report.slim());
    out.printf(Locale.ROOT, "%-10s %-40s %12s%n", "", "", report.ratio() + "x smaller");
    BuildReport.ElfStripping stripped = report.strippedElf();
    if (stripped != null && stripped.enabled()) {
      out.printf(Locale.ROOT, "--strip-elf: %d ELF file%s stripped, %s saved%n", stripped.files(),
          stripped.files() == 1 ? "" : "s", ByteSize.summaryTable(stripped.bytesSaved()));
    }
    out.println();
    long matched = report.probes().stream().filter(BuildReport.ProbeRecord::matches).count();
    long runDependent = report.probes().stream().filter(BuildReport.ProbeRecord::runDependent).count();
    out.printf(Locale.ROOT, "probes: %d/%d answered the same by the slim image%s%n", matched, report.probes().size(),
        runDependent == 0 ? "" : " (" + runDependent + " run-dependent)");
    for (BuildReport.ProbeRecord p : report.probes()) {
      out.printf(Locale.ROOT, "  %-40s %3d -> %3d%s%n", p.probe(), p.originalStatus(), p.slimStatus(), note(p));
    }
    out.printf(Locale.ROOT, "total %.1fs; slim image id %s%n", report.totalMillis() / 1000.0, report.slimImageId());
  }

  /** How an HTTP answer was compared, when not on its bytes. */
  private static String note(BuildReport.ProbeRecord p) {
    if (!p.kind().equals("http") || p.comparedOn().equals("body")) {
      return p.runDependent() ? "  (run-dependent: the same bytes as a second run of the original)" : "";
    }
    String on = switch (p.comparedOn()) {
      case "shape" -> "status, type and shape compared";
      case "type" -> "status and type compared";
      default -> "status compared";
    };
    return p.runDependent() ? "  (run-dependent: " + on + ")" : "  (body varies: " + on + ")";
  }

  private static void row(PrintWriter out, String label, String image, BuildReport.ImageStats stats) {
    out.printf(Locale.ROOT, "%-10s %-40s %12s %9d%n", label, image, ByteSize.summaryTable(stats.bytes()), stats.files());
  }
}
