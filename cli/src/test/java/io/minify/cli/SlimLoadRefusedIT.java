package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ImageInfo;
import io.minify.engine.ImageStore;
import io.minify.engine.docker.DockerJavaEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * A slim archive the engine refuses fails the build with the engine's own words: the real
 * engine is handed a really broken archive (the one the build wrote, cut in half on its way
 * to {@code docker load}), and the user sees one line naming the stage and what the engine
 * said, exit code 1, and nothing left behind.
 */
class SlimLoadRefusedIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/static-scratch:1.0";
  private static final String TAG = "minify-it/load-refused.slim:1";

  @Test
  void aCorruptedSlimArchiveFailsThePackageStageWithTheEnginesMessage() throws Exception {
    ArchiveCuttingEngine cutting = new ArchiveCuttingEngine(DockerJavaEngine.connect());
    Path report = Files.createTempFile("minify-it-refused", ".json");
    Files.delete(report);
    CliRun run = CliRun.withEngine(() -> cutting, "build", IMAGE, "--tag", TAG, "--quiet", "--report",
        report.toString(), "--work-dir", workRoot.toString());

    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("minify: error: package: the engine refused the slim image: Error processing tar file(exit status 1):"
        + " unexpected EOF", run.err().strip(), run.toString());
    assertNotNull(cutting.slimImageId, "the build got as far as loading");
    assertFalse(engine.images().inspectImage(cutting.slimImageId).isPresent(), "no slim image is left in the engine");
    assertFalse(engine.images().inspectImage(TAG).isPresent(), "no tag");
    com.fasterxml.jackson.databind.JsonNode failure = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(report.toFile());
    assertTrue(failure.get("failed").asBoolean(), "a failed build writes a failure report: " + failure);
    assertEquals("package", failure.get("stage").asText());
    assertEquals(1, failure.get("exitCode").asInt());
    Leftovers.assertNone(engine, workRoot);
  }

  /** The real engine; only the archive it is asked to load is cut to half its length first. */
  private static final class ArchiveCuttingEngine implements ContainerEngine {
    private final ContainerEngine real;
    private final ImageStore images;
    private String slimImageId;

    ArchiveCuttingEngine(ContainerEngine real) {
      this.real = real;
      this.images = new CuttingImages(real.images());
    }

    /** The image id the archive would load as: its config's digest, from manifest.json. */
    private static String configName(Path archive) throws IOException {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          if (e.getName().equals("manifest.json")) {
            String config = new ObjectMapper().readTree(tar.readAllBytes()).get(0).get("Config").asText();
            return "sha256:" + config.replaceAll("^.*/|\\.json$", "");
          }
        }
      }
      throw new IllegalStateException("no manifest.json in " + archive);
    }

    @Override
    public String version() {
      return real.version();
    }

    @Override
    public ImageStore images() {
      return images;
    }

    @Override
    public ContainerRuntime containers() {
      return real.containers();
    }

    @Override
    public void close() {
      real.close();
    }

    private final class CuttingImages implements ImageStore {
      private final ImageStore realImages;

      CuttingImages(ImageStore realImages) {
        this.realImages = realImages;
      }

      @Override
      public void loadImage(Path archive) throws IOException {
        slimImageId = configName(archive);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
          file.setLength(file.length() / 2);
        }
        realImages.loadImage(archive);
      }

      @Override
      public Optional<ImageInfo> inspectImage(String reference) {
        return realImages.inspectImage(reference);
      }

      @Override
      public InputStream saveImage(String reference) {
        return realImages.saveImage(reference);
      }

      @Override
      public void tagImage(String imageId, String repository, String tag) {
        realImages.tagImage(imageId, repository, tag);
      }

      @Override
      public void removeImage(String reference) {
        realImages.removeImage(reference);
      }
    }
  }
}
