package io.minify.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The engine's images: what a build reads (inspect, save), and what it adds and takes away
 * again (load, tag, remove). All methods throw {@link EngineException} when the engine fails.
 */
public interface ImageStore {

  /** A local image by reference or id; empty when the engine has no such image. */
  Optional<ImageInfo> inspectImage(String reference);

  /**
   * The image as a {@code docker save} tar stream; the caller closes it. A save that fails
   * after it started shows as an {@link IOException} from the stream (it ended before the
   * archive did), never as a shorter archive.
   */
  InputStream saveImage(String reference);

  /**
   * Loads a docker-archive tar into the engine and checks the engine's answer to it.
   *
   * @throws EngineRefusedException when the engine refuses the archive, with its own message
   * @throws IOException            when the archive cannot be read
   */
  void loadImage(Path archive) throws IOException;

  /** Points {@code repository:tag} at an image. */
  void tagImage(String imageId, String repository, String tag);

  /** Removes an image reference (a tag, or an id when untagged); absent is fine. */
  void removeImage(String reference);
}
