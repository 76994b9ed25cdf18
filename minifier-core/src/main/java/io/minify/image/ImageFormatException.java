package io.minify.image;

import io.minify.failure.ClassifiedFault;
import io.minify.failure.FailureKind;

/**
 * An image archive or layer tar that cannot be used: malformed, inconsistent with its
 * manifest, or unsafe (entry names or hardlink targets escaping the root). The message is
 * one line and names the offending entry.
 */
public class ImageFormatException extends Exception implements ClassifiedFault {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The image is at fault, not the host. */
  @Override
  public FailureKind failureKind() {
    return FailureKind.BAD_INPUT;
  }
}
