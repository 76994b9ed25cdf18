package io.minify.sensor;

import java.io.IOException;

/** The kernel's event queue overflowed, so some file accesses were lost. */
public final class MonitorOverflowException extends IOException {
  private static final long serialVersionUID = 1L;

  public MonitorOverflowException(String message) {
    super(message);
  }
}
