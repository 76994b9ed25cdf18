package io.minify.image;

/**
 * An image archive or layer tar that cannot be used: malformed, inconsistent with its
 * manifest, or unsafe (entry names or hardlink targets escaping the root). The message is
 * one line and names the offending entry.
 */
public class ImageFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
