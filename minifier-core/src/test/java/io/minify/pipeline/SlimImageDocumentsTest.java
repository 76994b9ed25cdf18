package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.analysis.CycloneDxSbom;
import io.minify.analysis.DiffAnalysis;
import io.minify.analysis.DirectoryTree;
import io.minify.analysis.HtmlReport;
import io.minify.analysis.ImageOpener;
import io.minify.analysis.ImageSource;
import io.minify.analysis.OpenedImage;
import io.minify.analysis.WhyKept;
import io.minify.engine.ContainerEngine;
import io.minify.report.BuildReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sbom} and {@code --html} of a build: the same bytes the command line wrote when it
 * made them itself (20 rows, a treemap three levels deep), read back from where the slim
 * image went.
 */
class SlimImageDocumentsTest {
  @TempDir
  Path tmp;

  private BuildReport build(FakeHost host, OutputTargets targets) throws Exception {
    return new BuildPipeline(host.services(), BuildListener.silent())
        .run(BuildOptions.defaults(FakeHost.ORIGINAL).toBuilder().workRoot(tmp.resolve("work")).output(targets).build());
  }

  private ImageOpener opener(FakeHost host) throws Exception {
    return new ImageOpener(() -> host.engine, Files.createDirectories(tmp.resolve("scratch")));
  }

  @Test
  void theDocumentsAreTheBytesTheCommandLineWrote() throws Exception {
    FakeHost host = new FakeHost();
    OutputTargets targets = new OutputTargets(true, tmp.resolve("slim.tar"), null, tmp.resolve("sbom.json"),
        tmp.resolve("build.html"));
    BuildReport report = build(host, targets);
    try (ImageOpener opener = opener(host)) {
      SlimImageDocuments.write(report, targets, opener);
    }

    // what BuildCommand computed before the documents moved into the core
    try (ImageOpener opener = opener(host);
        OpenedImage slim = opener.open(new ImageSource(ImageSource.Kind.DOCKER_ARCHIVE, report.slimImage(),
            targets.dockerArchive()));
        OpenedImage original = opener.open(ImageSource.engine(report.image()))) {
      assertEquals(new CycloneDxSbom(MinifyVersion.current()).toJson(report.slimImage(), slim.imageId(),
          slim.filesystem()) + "\n", Files.readString(targets.sbom(), StandardCharsets.UTF_8));
      assertEquals(HtmlReport.build(report, new DiffAnalysis(20).analyse(original, slim, WhyKept.of(report)),
          DirectoryTree.of(original.filesystem(), slim.filesystem(), 3)), Files.readString(targets.html(),
          StandardCharsets.UTF_8));
    }
    assertTrue(Files.readString(targets.html()).contains("Stages (" + report.totalMillis() + " ms in all)"),
        "the page has the final timings");
    assertScratchGone();
  }

  @Test
  void notLoadedTheSlimImageIsReadFromItsLayout() throws Exception {
    FakeHost host = new FakeHost();
    OutputTargets targets = new OutputTargets(false, null, tmp.resolve("oci"), tmp.resolve("sbom.json"), null);
    BuildReport report = build(host, targets);
    try (ImageOpener opener = opener(host)) {
      SlimImageDocuments.write(report, targets, opener);
    }
    try (ImageOpener opener = opener(host);
        OpenedImage slim = opener.open(new ImageSource(ImageSource.Kind.OCI_LAYOUT, report.slimImage(),
            targets.ociLayout()))) {
      assertEquals(new CycloneDxSbom(MinifyVersion.current()).toJson(report.slimImage(), slim.imageId(),
          slim.filesystem()) + "\n", Files.readString(targets.sbom(), StandardCharsets.UTF_8));
    }
    assertEquals(false, Files.exists(tmp.resolve("build.html")));
  }

  @Test
  void theSlimImageIsReadBackFromWhereItWent() {
    Path tar = tmp.resolve("slim.tar");
    Path oci = tmp.resolve("oci");
    assertEquals(new ImageSource(ImageSource.Kind.DOCKER_ARCHIVE, "app.slim:1", tar),
        SlimImageDocuments.slimImage(new OutputTargets(false, tar, oci), "app.slim:1"));
    assertEquals(new ImageSource(ImageSource.Kind.OCI_LAYOUT, "app.slim:1", oci),
        SlimImageDocuments.slimImage(new OutputTargets(false, null, oci), "app.slim:1"));
    assertEquals(ImageSource.engine("app.slim:1"),
        SlimImageDocuments.slimImage(new OutputTargets(true, null, oci), "app.slim:1"));
  }

  @Test
  void withoutDocumentsNothingIsOpened() throws Exception {
    FakeHost host = new FakeHost();
    BuildReport report = build(host, OutputTargets.defaults());
    Supplier<ContainerEngine> none = () -> {
      throw new AssertionError("nothing to describe, no engine");
    };
    try (ImageOpener opener = new ImageOpener(none, tmp.resolve("scratch"))) {
      SlimImageDocuments.write(report, OutputTargets.defaults(), opener);
    }
    assertEquals(false, Files.exists(tmp.resolve("scratch")));
  }

  private void assertScratchGone() throws Exception {
    try (Stream<Path> left = Files.list(tmp.resolve("scratch"))) {
      assertEquals(0, left.count(), "each opened image's scratch directory is removed");
    }
  }
}
