package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.engine.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link Leftovers#assertNone} narrowed to the images a test used: the engine is shared with
 * other test runs, whose own minify containers may exist at the same moment and are not ours.
 */
final class ProbeLeftovers {

  private ProbeLeftovers() {}

  static void assertNone(Path workRoot, String... images) throws Exception {
    for (String image : images) {
      if (SlimCheck.docker("image", "ls", "-q", image).isBlank()) {
        continue; // an image that does not exist (any more) has no containers
      }
      String ids = SlimCheck.docker("ps", "-aq", "--filter", "label=" + ContainerSpec.OWNER_LABEL,
          "--filter", "ancestor=" + image);
      assertEquals(List.of(), Arrays.stream(ids.split("\\s+")).filter(s -> !s.isEmpty()).toList(),
          "containers of " + image + " left behind");
    }
    try (Stream<Path> left = Files.list(workRoot)) {
      assertEquals(List.of(), left.toList(), "temporary files left behind in " + workRoot);
    }
  }
}
