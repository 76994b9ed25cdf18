package io.minify.pipeline;

import io.minify.engine.ImageStore;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.image.ImageFormatException;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads the image's filesystem ({@code docker save}, then indexed) on a thread of its own,
 * started at inspection and awaited at selection, so the slow part of a build overlaps the
 * app's start-up and probing.
 */
final class ImageReader {

  /** How long an abort waits for the reader's thread to end before the work dir goes. */
  private static final int READER_STOP_SECONDS = 30;

  private final ExecutorService thread;
  private final Future<ImageContent> content;

  private ImageReader(ExecutorService thread, Future<ImageContent> content) {
    this.thread = thread;
    this.content = content;
  }

  /**
   * Starts reading {@code image} into {@code workDir}/image. The cleanup stack stops the
   * reader (and closes what it opened) before it deletes the work directory.
   */
  static ImageReader start(ImageStore images, String image, Path workDir, CleanupStack cleanup) {
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "minify-image-reader");
      t.setDaemon(true);
      return t;
    });
    CompletableFuture<ImageContent> content = new CompletableFuture<>();
    ImageReader reader = new ImageReader(thread, content);
    // registered before the thread starts, so the stream the thread registers is closed first
    cleanup.push("image index", reader::closeWhenDone);
    try {
      thread.execute(() -> {
        try {
          ImageContent read = read(images, image, workDir, cleanup);
          if (!content.complete(read)) {
            read.filesystem().close(); // cancelled meanwhile: nobody else will close it
          }
        } catch (Throwable t) {
          content.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException aborted) {
      content.cancel(false); // the build was aborted before the reader could start
    }
    return reader;
  }

  /** Waits for the read to finish. */
  ImageContent await() throws BuildException {
    return BackgroundResult.await(content, "reading the image", cause -> Failures.asBuildFailure(cause,
        (Failures.kindOf(cause) == FailureKind.BAD_INPUT ? "the image cannot be read: "
            : "reading the image's layers failed: ") + cause.getMessage()));
  }


  /**
   * What was read, if the read is over, without waiting; fails now if it failed. The engine
   * refuses a save at once when it cannot do it, and a build need not watch and probe the app
   * for minutes before it says so.
   */
  Optional<ImageContent> readSoFar() throws BuildException {
    return content.isDone() && !content.isCancelled() ? Optional.of(await()) : Optional.empty();
  }

  private static ImageContent read(ImageStore images, String image, Path workDir, CleanupStack cleanup)
      throws IOException, ImageFormatException {
    Path imageDir = Files.createDirectory(workDir.resolve("image"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    SavedImage saved;
    try (InputStream in = images.saveImage(image)) {
      // an abort closes the stream: a blocked socket read does not answer to interrupts,
      // and the reader must stop writing before the work directory is deleted
      CleanupStack.Handle stream = cleanup.push("image stream", () -> closeAborted(in));
      saved = SavedImage.read(in, imageDir);
      stream.keep(); // try-with-resources closes it
    }
    LayeredImageFilesystem filesystem = LayeredImageFilesystem.open(saved);
    return new ImageContent(saved.withoutLayerIndexes(), filesystem); // the merged view replaces the indexes
  }

  /** Closes a transfer the build aborts; one cut off mid-stream may fail to close cleanly, and is closed anyway. */
  private static void closeAborted(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException cutOff) {
      // the connection is gone either way, which is what the abort wants
    }
  }

  /**
   * Stops the reader and waits until its thread has ended (the image stream was closed just
   * before, so a blocked read returns): the work directory is deleted next, and a reader still
   * unwinding would delete or write files in it at the same time.
   */
  private void closeWhenDone() throws IOException {
    content.cancel(true);
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(READER_STOP_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the image reader did not stop within " + READER_STOP_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the image reader to stop", e);
    }
    if (content.isDone() && !content.isCancelled()) {
      try {
        content.get().filesystem().close();
      } catch (InterruptedException | ExecutionException e) {
        // it never opened: nothing to close
      }
    }
  }
}
