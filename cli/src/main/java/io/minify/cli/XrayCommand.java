package io.minify.cli;

import io.minify.analysis.ByteSize;
import io.minify.analysis.CycloneDxSbom;
import io.minify.analysis.DirectoryTree;
import io.minify.analysis.DocumentFiles;
import io.minify.analysis.HtmlReport;
import io.minify.analysis.ImageSource;
import io.minify.analysis.ImageXray;
import io.minify.analysis.OpenedImage;
import io.minify.analysis.XrayAnalysis;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.pipeline.MinifyVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minify xray IMAGE}: what an image is made of, layer by layer and by kind of file. */
@Command(
    name = "xray",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
        "Shows what IMAGE is made of, layer by layer and by kind of file.",
        "",
        "It lists the layers, the largest files and directories, the bytes by kind of file, the bytes later layers"
            + " overwrite or delete, the checks the image alone can tell (root user, package caches in a layer,"
            + " wasted layers) and the OS packages.",
        "IMAGE is a local image (repo:tag or id), docker-archive:FILE (a tar that docker save wrote) or oci:DIR"
            + " (an OCI layout).",
        "Needs no root."})
public final class XrayCommand extends AnalysisCommand {

  public XrayCommand() {
    this(DockerJavaEngine::connect);
  }

  XrayCommand(Supplier<ContainerEngine> engines) {
    super(engines);
  }

  @Parameters(index = "0", paramLabel = "IMAGE", description = "An image reference, docker-archive file or OCI layout.")
  String image;

  @ArgGroup(validate = false, heading = "%nCI gates (checked after the analysis; exit 4):%n")
  XrayGates gates = new XrayGates();

  /** The limits an image's layers must keep to. */
  static final class XrayGates {
    @Option(names = "--min-efficiency", paramLabel = "E", converter = Gates.Fraction.class,
        description = "Gate: exit 4 when the efficiency score is below E (0 to 1).")
    Gates.Threshold minEfficiency;

    @Option(names = "--max-wasted", paramLabel = "SIZE", converter = Gates.Size.class,
        description = "Gate: exit 4 when later layers overwrite or delete more than SIZE (50MB, 1.5GiB, 123456).")
    Gates.ByteLimit maxWasted;
  }

  @Override
  AnalysisRun.Body prepare(CommandLine line) {
    ImageSource source = Sources.parse(line, image);
    Gates.Threshold minEfficiency = gates.minEfficiency;
    Gates.ByteLimit maxWasted = gates.maxWasted;
    PrintWriter out = line.getOut();
    PrintWriter err = line.getErr();
    return opener -> {
      ImageXray xray;
      try (OpenedImage opened = opener.open(source)) {
        xray = new XrayAnalysis(analysis.top).analyse(opened);
        if (analysis.sbom != null) {
          new CycloneDxSbom(MinifyVersion.current()).write(opened, opened.source().name(), analysis.sbom);
        }
        if (analysis.html != null) {
          DocumentFiles.writeText(analysis.html, HtmlReport.xray(xray, DirectoryTree.of(opened.filesystem(),
              HtmlReport.TREEMAP_DEPTH)));
        }
      }
      List<String> failures = new ArrayList<>();
      if (minEfficiency != null && xray.efficiency().score() < minEfficiency.value()) {
        failures.add(String.format(Locale.ROOT, "efficiency %.4f is below --min-efficiency %s",
            xray.efficiency().score(), minEfficiency.given()));
      }
      if (maxWasted != null && xray.efficiency().wastedBytes() > maxWasted.bytes()) {
        failures.add(xray.efficiency().wastedBytes() + " wasted bytes (" + ByteSize.format(
            xray.efficiency().wastedBytes()) + ") exceed --max-wasted " + maxWasted.given());
      }
      return AnalysisRun.printAndGate(out, err, analysis.json, xray, XrayCommand::print, failures);
    };
  }

  static void print(ImageXray x, PrintWriter out) {
    out.printf(Locale.ROOT, "%s (%s, %s/%s) %s%n", x.image(), x.source(), x.os(), x.architecture(), x.imageId());
    ImageXray.Totals t = x.totals();
    out.printf(Locale.ROOT, "%s in %d layers (%d tar entries); merged: %s in %d files, %d directories, %d symlinks,"
        + " %d others%n", ByteSize.format(t.layerBytes()), x.layers().size(), t.layerEntries(),
        ByteSize.format(t.contentBytes()), t.files(), t.directories(), t.symlinks(), t.others());
    ImageXray.Efficiency e = x.efficiency();
    out.printf(Locale.ROOT, "efficiency %.4f: %s wasted (%s overwritten, %s deleted by later layers)%n", e.score(),
        ByteSize.format(e.wastedBytes()), ByteSize.format(e.overwrittenBytes()), ByteSize.format(e.deletedBytes()));
    out.println();
    out.println("layer        size  entries     wasted  created by");
    for (ImageXray.Layer layer : x.layers()) {
      out.printf(Locale.ROOT, "%5d %11s %8d %10s  %s%n", layer.index(), ByteSize.format(layer.bytes()),
          layer.entries(), ByteSize.format(layer.wastedBytes()), Tables.clip(layer.createdBy(), 80));
    }
    out.println();
    out.println("kind                     files        bytes");
    for (ImageXray.KindTotal kind : x.byKind()) {
      out.printf(Locale.ROOT, "%-22s %7d %12s%n", kind.kind().label(), kind.files(), ByteSize.format(kind.bytes()));
    }
    Tables.sizedRows(out, "largest directories", x.largestDirectories().stream()
        .map(d -> new Tables.Row(d.path(), d.bytes())).toList());
    Tables.sizedRows(out, "largest files", x.largestFiles().stream()
        .map(f -> new Tables.Row(f.path(), f.bytes())).toList());
    if (!e.wastedPaths().isEmpty()) {
      Tables.sizedRows(out, "wasted by path", e.wastedPaths().stream()
          .map(w -> new Tables.Row(w.path() + " (" + w.layers() + " layers)", w.wastedBytes())).toList());
    }
    printChecks(x, out);
    ImageXray.Packages p = x.packages();
    out.println();
    if (p.manager().isEmpty()) {
      out.println("packages: no dpkg or apk database with file lists");
      return;
    }
    out.printf(Locale.ROOT, "packages (%s): %d installed; %s owned by packages, %s by none%n", p.manager(), p.count(),
        ByteSize.format(p.ownedBytes()), ByteSize.format(p.unownedBytes()));
    p.list().stream()
        .sorted((a, b) -> Long.compare(b.contentBytes(), a.contentBytes()))
        .limit(20)
        .forEach(row -> out.printf(Locale.ROOT, "  %-40s %-28s %12s%n", Tables.clip(row.name(), 40),
            Tables.clip(row.version(), 28), ByteSize.format(row.contentBytes())));
  }

  /** The checklist items the image alone tells, with what to change in its Dockerfile. */
  private static void printChecks(ImageXray x, PrintWriter out) {
    out.println();
    if (x.checks().isEmpty()) {
      out.println("checks: none found (user, package caches, wasted layers)");
      return;
    }
    out.println("checks");
    out.println("  layer  level    check                  bytes  reason");
    for (ImageXray.Check check : x.checks()) {
      out.printf(Locale.ROOT, "  %5s  %-7s  %-15s %12s  %s%n", check.layer() == null ? "-" : check.layer(),
          check.level().label(), check.id(), check.bytes() == 0 ? "" : ByteSize.format(check.bytes()), check.reason());
      out.printf(Locale.ROOT, "  %5s  %-7s  %-15s %12s  fix: %s%n", "", "", "", "", check.fix());
    }
  }
}
