package io.minify.build;

import io.minify.probe.HttpProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the user asked {@code minify build} to do.
 *
 * @param image        the image to shrink (reference or id); it must be local
 * @param slimTag      the output tag; null for the default {@code <repo>.slim:<tag>}
 * @param workRoot     where the build's temporary directory goes (deleted at the end)
 * @param reportFile   where minify-report.json goes; null for none
 * @param probes       probes beyond the default {@code GET /} on every exposed TCP port
 * @param startTimeout how long the app may take until its ports answer
 * @param stopGrace    how long the app gets to stop before it is killed
 */
public record BuildOptions(
    String image,
    SlimTag slimTag,
    Path workRoot,
    Path reportFile,
    List<HttpProbe> probes,
    Duration startTimeout,
    Duration stopGrace) {

  public BuildOptions {
    probes = List.copyOf(probes);
  }

  public static BuildOptions defaults(String image) {
    return new BuildOptions(image, null, Path.of(System.getProperty("java.io.tmpdir")), null, List.of(),
        Duration.ofSeconds(60), Duration.ofSeconds(5));
  }

  public BuildOptions withSlimTag(SlimTag tag) {
    return new BuildOptions(image, tag, workRoot, reportFile, probes, startTimeout, stopGrace);
  }

  public BuildOptions withWorkRoot(Path root) {
    return new BuildOptions(image, slimTag, root, reportFile, probes, startTimeout, stopGrace);
  }

  public BuildOptions withReportFile(Path file) {
    return new BuildOptions(image, slimTag, workRoot, file, probes, startTimeout, stopGrace);
  }

  public BuildOptions withProbes(List<HttpProbe> plan) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, plan, startTimeout, stopGrace);
  }

  public BuildOptions withStartTimeout(Duration timeout) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, probes, timeout, stopGrace);
  }
}
