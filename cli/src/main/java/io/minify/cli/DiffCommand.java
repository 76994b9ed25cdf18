package io.minify.cli;

import io.minify.analysis.ByteSize;
import io.minify.analysis.CycloneDxSbom;
import io.minify.analysis.DiffAnalysis;
import io.minify.analysis.DirectoryTree;
import io.minify.analysis.DocumentFiles;
import io.minify.analysis.HtmlReport;
import io.minify.analysis.ImageDiff;
import io.minify.analysis.ImageSource;
import io.minify.analysis.OpenedImage;
import io.minify.analysis.WhyKept;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.pipeline.MinifyVersion;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minify diff A B}: what B (typically A's slim image) kept, dropped and added, and why. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
        "Compares image A with image B: what B kept of A, dropped and added.",
        "",
        "B is typically A's slim image.",
        "It shows the bytes and entries of each, the ratio, the bytes per top-level directory and per OS package of"
            + " A, and the biggest files kept and dropped.",
        "With --report, it gives the reason minify kept each file.",
        "A and B are local images, docker-archive files or OCI layouts."})
public final class DiffCommand extends AnalysisCommand {

  public DiffCommand() {
    this(DockerJavaEngine::connect);
  }

  DiffCommand(Supplier<ContainerEngine> engines) {
    super(engines);
  }

  @Parameters(index = "0", paramLabel = "A", description = "The first image (the original).")
  String first;

  @Parameters(index = "1", paramLabel = "B", description = "The second image (the slim one).")
  String second;

  @Option(names = "--report", paramLabel = "FILE",
      description = "The minify-report.json of the build that made B, which says why each kept file was kept.")
  Path report;

  @ArgGroup(validate = false, heading = "%nCI gates (checked after the comparison; exit 4):%n")
  DiffGates gates = new DiffGates();

  /** The limits B must keep to. */
  static final class DiffGates {
    @Option(names = "--fail-if-ratio-below", paramLabel = "R", converter = Gates.Ratio.class,
        description = "Gate: exit 4 when A's size / B's size is below R (such as 2.5).")
    Gates.Threshold minRatio;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = Gates.Size.class,
        description = "Gate: exit 4 when B is larger than SIZE (50MB, 1.5GiB, 123456).")
    Gates.ByteLimit maxSize;
  }

  @Override
  AnalysisRun.Body prepare(CommandLine line) {
    ImageSource a = Sources.parse(line, first);
    ImageSource b = Sources.parse(line, second);
    Gates.Threshold minRatio = gates.minRatio;
    Gates.ByteLimit maxSize = gates.maxSize;
    PrintWriter out = line.getOut();
    PrintWriter err = line.getErr();
    return opener -> {
      WhyKept why = report == null ? WhyKept.none() : WhyKept.read(report);
      ImageDiff diff;
      try (OpenedImage imageA = opener.open(a); OpenedImage imageB = opener.open(b)) {
        if (why.slimImageId().isPresent() && !why.slimImageId().get().equals(imageB.imageId())) {
          throw new BuildException(FailureKind.BAD_INPUT, "--report " + report + " describes slim image "
              + why.slimImageId().get() + ", but B is " + imageB.imageId());
        }
        diff = new DiffAnalysis(analysis.top).analyse(imageA, imageB, why);
        if (analysis.sbom != null) {
          new CycloneDxSbom(MinifyVersion.current()).write(imageB, imageB.source().name(), analysis.sbom);
        }
        if (analysis.html != null) {
          DocumentFiles.writeText(analysis.html, HtmlReport.diff(diff,
              DirectoryTree.of(imageA.filesystem(), imageB.filesystem(), HtmlReport.TREEMAP_DEPTH)));
        }
      }
      List<String> failures = new ArrayList<>();
      if (minRatio != null && diff.ratio() < minRatio.value()) {
        failures.add(String.format(Locale.ROOT, "ratio %.2f is below --fail-if-ratio-below %s", diff.ratio(),
            minRatio.given()));
      }
      if (maxSize != null && diff.b().layerBytes() > maxSize.bytes()) {
        failures.add("B is " + diff.b().layerBytes() + " bytes (" + ByteSize.format(diff.b().layerBytes())
            + "), above --max-size " + maxSize.given());
      }
      return AnalysisRun.printAndGate(out, err, analysis.json, diff, DiffCommand::print, failures);
    };
  }

  static void print(ImageDiff d, PrintWriter out) {
    out.printf(Locale.ROOT, "A %s: %s, %d entries, %d files%n", d.a().image(), ByteSize.format(d.a().layerBytes()),
        d.a().entries(), d.a().files());
    out.printf(Locale.ROOT, "B %s: %s, %d entries, %d files%n", d.b().image(), ByteSize.format(d.b().layerBytes()),
        d.b().entries(), d.b().files());
    out.printf(Locale.ROOT, "ratio %.2fx; kept %d entries (%s), dropped %d (%s), added %d (%s)%n", d.ratio(),
        d.kept().entries(), ByteSize.format(d.kept().bytesInB()), d.dropped().entries(),
        ByteSize.format(d.dropped().bytes()), d.added().entries(), ByteSize.format(d.added().bytes()));
    out.println();
    out.println("directory                      in A          in B");
    for (ImageDiff.DirectoryChange dir : d.byTopDirectory()) {
      out.printf(Locale.ROOT, "%-22s %13s %13s%n", Tables.clip(dir.path(), 22), ByteSize.format(dir.bytesInA()),
          ByteSize.format(dir.bytesInB()));
    }
    ImageDiff.PackageChanges p = d.packages();
    out.println();
    if (p.manager().isEmpty()) {
      out.println("packages: A has no dpkg or apk database with file lists");
    } else {
      out.printf(Locale.ROOT, "packages (%s): %d kept whole, %d in part, %d dropped%n", p.manager(), p.keptWhole(),
          p.keptInPart(), p.dropped());
      p.list().stream().filter(row -> row.state() != ImageDiff.PackageState.DROPPED)
          .sorted((x, y) -> Long.compare(y.keptBytes(), x.keptBytes()))
          .forEach(row -> out.printf(Locale.ROOT, "  %-8s %-36s %5d/%-5d files %12s of %s%n", row.state().label(),
              Tables.clip(row.name(), 36), row.keptFiles(), row.files(), ByteSize.format(row.keptBytes()),
              ByteSize.format(row.bytes())));
    }
    out.println();
    out.println("biggest kept");
    for (ImageDiff.KeptFile kept : d.biggestKept()) {
      out.printf(Locale.ROOT, "  %12s  %s%s%n", ByteSize.format(kept.bytes()), kept.path(),
          kept.reason().isEmpty() ? "" : "  [" + kept.reason() + (kept.detail().isEmpty() ? "" : ": "
              + Tables.clip(kept.detail(), 60)) + "]");
    }
    Tables.sizedRows(out, "biggest dropped trees", d.droppedTrees().stream()
        .map(t -> new Tables.Row(t.path() + " (" + t.files() + " files)", t.bytes())).toList());
    Tables.sizedRows(out, "biggest dropped files", d.biggestDropped().stream()
        .map(f -> new Tables.Row(f.path(), f.bytes())).toList());
    if (!d.keptByReason().isEmpty()) {
      out.println();
      out.println("kept by reason            entries        bytes");
      for (ImageDiff.ReasonTotal r : d.keptByReason()) {
        out.printf(Locale.ROOT, "  %-22s %8d %12s%n", r.reason(), r.entries(), ByteSize.format(r.bytes()));
      }
    }
  }
}
