package io.minify.tar;

import java.io.IOException;

/** The bytes are not a tar archive, or one this reader cannot make sense of; the message says where. */
public final class TarFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public TarFormatException(String message) {
    super(message);
  }
}
