package io.minify.sensor.fanotify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FanotifyMonitorTest {

  @Test
  void deletedSuffixIsStrippedOnlyForUnlinkedFiles() {
    assertArrayEquals(bytes("/tmp/x"), FanotifyMonitor.stripDeletedSuffix(bytes("/tmp/x (deleted)"), 0));
    assertArrayEquals(bytes("/tmp/x (deleted)"), FanotifyMonitor.stripDeletedSuffix(bytes("/tmp/x (deleted)"), 1));
    assertArrayEquals(bytes("/tmp/x"), FanotifyMonitor.stripDeletedSuffix(bytes("/tmp/x"), 0));
    assertArrayEquals(bytes(" (deleted)"), FanotifyMonitor.stripDeletedSuffix(bytes(" (deleted)"), 1));
  }

  @Test
  void namesThatAreNotUtf8KeepTheirBytes() {
    byte[] name = {'/', 'b', 'a', 'd', (byte) 0xff, ' ', '(', 'd', 'e', 'l', 'e', 't', 'e', 'd', ')'};
    assertArrayEquals(new byte[] {'/', 'b', 'a', 'd', (byte) 0xff}, FanotifyMonitor.stripDeletedSuffix(name, 0));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
