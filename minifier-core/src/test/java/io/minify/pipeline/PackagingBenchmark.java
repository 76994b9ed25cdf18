package io.minify.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.analysis.WhyKept;
import io.minify.digest.Digest;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.image.FileEntry;
import io.minify.image.ImageReference;
import io.minify.path.UnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The minify side of {@code scripts/bench.sh package} (scripts/bench-package.sh): one
 * read-filter-write of an image, through the classes a build runs, timed from the request to
 * the engine to the docker-archive written. Not a command of minify, nor a test: it lives
 * beside the pipeline's tests, whose package-private classes it drives, and the script runs it
 * with the jar's classpath.
 *
 * <ul>
 *   <li>read: {@link ImageReader}, as {@link InspectStep} starts it and {@link SelectStep}
 *       awaits it: {@code docker save} streamed into the work directory, every layer hashed and
 *       indexed while it flows, then the merged view;
 *   <li>filter: the keep set of a build of the image, from its report's {@code kept[]} (the
 *       slim image id it gives is then the build's: the same bytes), or else every entry of the
 *       image (the most a build can keep: no build writes more);
 *   <li>write: {@link SlimImageFiles}, as {@link PackageStep} writes them before its load, with
 *       the options of the command line ({@code --strip-elf} and the trimmed package database on).
 * </ul>
 *
 * <p>Usage: {@code PackagingBenchmark IMAGE WORK_ROOT [REPORT]}; prints one JSON object on stdout.
 * The work directory is deleted after the clock stops.
 */
public final class PackagingBenchmark {

  private PackagingBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: PackagingBenchmark IMAGE WORK_ROOT [REPORT]");
      System.exit(2);
    }
    String image = args[0];
    Optional<WhyKept> build = args.length == 3 ? Optional.of(WhyKept.read(Path.of(args[2]))) : Optional.empty();
    BuildOptions options = BuildOptions.defaults(image).toBuilder().workRoot(Path.of(args[1])).stripElf(true).build();
    ImageReference tag = new ImageReference("minify-bench/pack", "run");
    ObjectNode result = new ObjectMapper().createObjectNode();
    try (ContainerEngine engine = DockerJavaEngine.connect(); CleanupStack cleanup = new CleanupStack()) {
      long start = System.nanoTime();
      Path workDir = WorkDirectory.create(options.workRoot(), cleanup);
      ImageContent content = ImageReader.start(engine.images(), image, workDir, cleanup).await();
      long read = System.nanoTime();
      Set<UnixPath> kept = new LinkedHashSet<>();
      for (FileEntry entry : content.filesystem().entries()) {
        // the report names paths by their text, as UnixPath writes it
        if (build.isEmpty() || build.get().of(entry.path().toString()).isPresent()) {
          kept.add(entry.path());
        }
      }
      UnaryOperator<ObjectNode> newConfig = options.config().asMutation(
          Digest.sha256Of(content.saved().config()), MinifyVersion.current());
      SlimImageFiles files = SlimImageFiles.write(content, kept, options, newConfig, tag, workDir);
      long written = System.nanoTime();

      long layerTarBytes = 0;
      for (Path layer : content.saved().layers()) {
        layerTarBytes += Files.size(layer);
      }
      result.put("image", image);
      result.put("keepSet", build.isPresent() ? "build" : "all");
      build.flatMap(WhyKept::slimImageId).ifPresent(id -> result.put("buildSlimImageId", id.toString()));
      result.put("layers", content.saved().layers().size());
      result.put("layerTarBytes", layerTarBytes);
      result.put("entries", content.filesystem().entries().size());
      result.put("contentBytes", content.filesystem().contentBytes());
      result.put("keptEntries", files.layer().entries());
      result.put("slimLayerBytes", files.layer().size());
      result.put("archiveBytes", Files.size(files.archive().file()));
      result.put("slimLayerDiffId", files.layer().diffId().toString());
      result.put("slimImageId", files.archive().imageId().toString());
      result.put("readSeconds", seconds(read - start));
      result.put("writeSeconds", seconds(written - read));
      result.put("seconds", seconds(written - start));
      content.filesystem().close();
    }
    System.out.println(result);
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1000.0;
  }
}
