package io.minify.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image store a unit test extends for the few calls it expects: every other call fails the
 * test, saying which, so a fake stays as short as what it fakes.
 */
public class UnusedImageStore implements ImageStore {

  private static UnsupportedOperationException unused(String call) {
    return new UnsupportedOperationException(call + " is not for this test");
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    throw unused("inspectImage");
  }

  @Override
  public InputStream saveImage(String reference) {
    throw unused("saveImage");
  }

  @Override
  public void loadImage(Path archive) throws IOException {
    throw unused("loadImage");
  }

  @Override
  public void tagImage(String imageId, String repository, String tag) {
    throw unused("tagImage");
  }

  @Override
  public void removeImage(String reference) {
    throw unused("removeImage");
  }
}
