package io.minify.pipeline;

import java.util.Locale;

/** Byte counts as stage summaries show them. */
final class Sizes {

  private Sizes() {}

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
