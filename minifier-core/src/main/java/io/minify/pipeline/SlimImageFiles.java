package io.minify.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.elf.ElfStripPlan;
import io.minify.image.ImageFilesystem;
import io.minify.image.ImageReference;
import io.minify.pack.ContentRewriter;
import io.minify.pack.DockerArchive;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.LayerTarWriter;
import io.minify.packages.PackageDatabaseTrimmer;
import io.minify.packages.TrimmedPackageDatabase;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What the package stage writes before it loads anything: the slim layer of the kept paths
 * (with the package database trimmed to them and ELF files stripped, as the options say) and
 * the docker-archive of that layer on the original's config. One place for it, so the package
 * benchmark ({@code scripts/bench.sh package}) times exactly what a build runs.
 *
 * @param layer     the slim layer, {@code slim-layer.tar} in the work directory
 * @param archive   the docker-archive tagged {@code tag}, {@code slim-image.tar} beside it
 * @param packageDb the trimmed package database the layer carries, when it carries one
 */
record SlimImageFiles(LayerBlob layer, DockerArchive archive, Optional<TrimmedPackageDatabase> packageDb) {

  /** Writes the layer and the archive of {@code kept} into {@code workDir}. */
  static SlimImageFiles write(ImageContent content, Set<UnixPath> kept, BuildOptions options,
      UnaryOperator<ObjectNode> newConfig, ImageReference tag, Path workDir) throws IOException {
    // the package database, trimmed to what is kept, so a scanner reports what is shipped
    Optional<TrimmedPackageDatabase> packageDb = options.keepPackageDb()
        ? PackageDatabaseTrimmer.trim(content.filesystem(), kept) : Optional.empty();
    ContentRewriter rewriter = options.stripElf() ? elfStripper(content.filesystem()) : ContentRewriter.NONE;
    LayerBlob layer = new LayerTarWriter(content.filesystem()).write(
        packageDb.map(db -> db.layerPaths(kept)).orElse(kept),
        packageDb.map(TrimmedPackageDatabase::replacedContents).orElse(Map.of()), rewriter,
        workDir.resolve("slim-layer.tar"));
    DockerArchive archive = new DockerArchiveWriter().write(content.saved().config(), layer, Optional.of(tag),
        newConfig, workDir.resolve("slim-image.tar"));
    return new SlimImageFiles(layer, archive, packageDb);
  }

  /**
   * Strips the kept ELF programs and shared objects that shed bytes safely; any other file,
   * a malformed ELF file included, is copied as it is. A plan depends on the file's bytes
   * alone, so the same image still gives the same layer.
   */
  private static ContentRewriter elfStripper(ImageFilesystem fs) {
    return file -> ElfStripPlan.forImageFile(fs, file).map(plan -> new ContentRewriter.Rewrite() {
      @Override
      public long size() {
        return plan.outputSize();
      }

      @Override
      public void write(InputStream original, OutputStream out) throws IOException {
        plan.write(original, out);
      }
    });
  }
}
