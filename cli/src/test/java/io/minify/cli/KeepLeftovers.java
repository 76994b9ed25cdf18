package io.minify.cli;

import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link Leftovers#assertNone} on an engine other builds may share: their containers carry
 * the same owner label while they run, so wait (bounded) until no labelled container is
 * left before asserting. A container this build leaked never goes away and still fails.
 */
final class KeepLeftovers {

  private static final Duration SETTLE = Duration.ofSeconds(120);

  private KeepLeftovers() {}

  static void assertNone(ContainerEngine engine, Path workRoot) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!engine.containersWithLabel(ContainerSpec.OWNER_LABEL).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
    Leftovers.assertNone(engine, workRoot);
  }
}
