package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image names come from the user and from archive tags: a reference, or an IllegalArgumentException. */
class ImageReferenceFuzzTest {

  @Test
  void references() {
    Fuzzer.ofText("ImageReference.parse", List.of(":", "/", ".", "_", "-", "__", "5000", "latest", "@sha256:",
            "a", "A", "localhost:5000/"))
        .seeds("app:1.0", "registry:5000/team/app:v2", "app", "a.b-c__d/e", "app@sha256:" + "0".repeat(64), ":",
            "x:" + "t".repeat(128), "")
        .allowing(IllegalArgumentException.class)
        .run(text -> {
          ImageReference reference = ImageReference.parse(text);
          assertEquals(reference, ImageReference.parse(reference.toString()), "round trip of " + reference);
        });
  }
}
