package io.minify.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.fuzz.Fuzzer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tar entry names and hardlink targets are image bytes: {@link UnixPath#ofEntryName} throws
 * nothing, and what it returns is normalized and names the same path when read again.
 */
class UnixPathFuzzTest {

  @Test
  void entryNames() {
    Fuzzer.ofBytes("UnixPath.ofEntryName")
        .seeds(bytes("./usr/bin/"), bytes("usr/bin/env"), bytes("/etc/x"), bytes("a/../b"), bytes("./"),
            bytes(".wh..wh..opq"), bytes("a//b/./c/"), new byte[] {'a', 0, 'b'}, new byte[] {(byte) 0xff, '/', '.'})
        .run(name -> {
          Optional<UnixPath> path = UnixPath.ofEntryName(name);
          if (path.isEmpty()) {
            return;
          }
          byte[] normalized = path.get().bytes();
          assertEquals('/', normalized[0]);
          assertTrue(normalized.length == 1 || normalized[normalized.length - 1] != '/', "trailing slash");
          for (byte[] component : path.get().components()) {
            assertTrue(component.length > 0, "empty component");
            assertFalse(Arrays.equals(component, new byte[] {'.'}) || Arrays.equals(component, new byte[] {'.', '.'}));
            for (byte b : component) {
              assertTrue(b != 0 && b != '/', "NUL or slash in a component");
            }
          }
          assertEquals(path, UnixPath.ofEntryName(normalized));
          path.get().toString(); // display never fails on any bytes
        });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
