package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Asserts a build left nothing behind: none of its containers, an empty work root. */
final class Leftovers {

  private Leftovers() {}

  /** Only this build's containers count: other builds may share the engine. */
  static void assertNone(ContainerEngine engine, Path workRoot) throws IOException {
    assertEquals(List.of(), engine.containers().containersWithLabel(
        ContainerSpec.WORK_ROOT_LABEL + "=" + workRoot.toAbsolutePath().normalize()), "containers left behind");
    assertNoneIn(workRoot);
  }

  /** Nothing is left in the work root (the engine's side is the caller's to check). */
  static void assertNoneIn(Path workRoot) throws IOException {
    try (Stream<Path> left = Files.list(workRoot)) {
      assertEquals(List.of(), left.toList(), "temporary files left behind in " + workRoot);
    }
  }
}
