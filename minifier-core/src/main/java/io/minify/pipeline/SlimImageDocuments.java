package io.minify.pipeline;

import io.minify.analysis.CycloneDxSbom;
import io.minify.analysis.DiffAnalysis;
import io.minify.analysis.DirectoryTree;
import io.minify.analysis.DocumentFiles;
import io.minify.analysis.HtmlReport;
import io.minify.analysis.ImageDiff;
import io.minify.analysis.ImageOpener;
import io.minify.analysis.ImageSource;
import io.minify.analysis.OpenedImage;
import io.minify.analysis.WhyKept;
import io.minify.failure.BuildException;
import io.minify.report.BuildReport;
import java.io.IOException;

/**
 * The documents of a verified build's slim image, where {@link OutputTargets} says: the
 * CycloneDX SBOM ({@code --sbom}) and the HTML page ({@code --html}: original vs slim, the
 * probes, the stage timings).
 *
 * <p>Written once the pipeline has returned, not by a stage: the page shows the build's
 * final timings, known only then, and a document that cannot be written fails the command,
 * not the build (the verified image stays tagged, the report stays the success report, and
 * a stage would have added a line to both). Both read the slim image back from where it went
 * (its archive, else its layout when it was not loaded, else the engine by its tag): what
 * they describe is what was shipped.
 */
public final class SlimImageDocuments {
  /**
   * Rows of the page's "biggest" lists: {@code minify diff}'s default {@code --top}, so the
   * build's page lists what the diff of the same two images would (the build has no --top).
   */
  static final int LISTED_ROWS = 20;

  private SlimImageDocuments() {}

  /**
   * Writes the documents {@code out} asks for; nothing when it asks for none.
   *
   * @param report the report the pipeline returned, with its timings
   * @param opener reads the slim and the original image into its own scratch directory
   */
  public static void write(BuildReport report, OutputTargets out, ImageOpener opener)
      throws BuildException, IOException {
    if (!out.describesSlimImage()) {
      return;
    }
    try (OpenedImage slim = opener.open(slimImage(out, report.slimImage()))) {
      if (out.sbom() != null) {
        new CycloneDxSbom(MinifyVersion.current()).write(slim, report.slimImage(), out.sbom());
      }
      if (out.html() != null) {
        try (OpenedImage original = opener.open(ImageSource.engine(report.image()))) {
          ImageDiff diff = new DiffAnalysis(LISTED_ROWS).analyse(original, slim, WhyKept.of(report));
          DocumentFiles.writeText(out.html(), HtmlReport.build(report, diff,
              DirectoryTree.of(original.filesystem(), slim.filesystem(), HtmlReport.TREEMAP_DEPTH)));
        }
      }
    }
  }

  /** Where the verified slim image is read back from, named by its slim tag either way. */
  static ImageSource slimImage(OutputTargets out, String slimTag) {
    if (out.dockerArchive() != null) {
      return new ImageSource(ImageSource.Kind.DOCKER_ARCHIVE, slimTag, out.dockerArchive());
    }
    return out.loadIntoEngine() ? ImageSource.engine(slimTag)
        : new ImageSource(ImageSource.Kind.OCI_LAYOUT, slimTag, out.ociLayout());
  }
}
