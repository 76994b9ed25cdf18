package io.minify.sensor.fanotify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FanotifyMonitorTest {

  @Test
  void deletedSuffixIsStrippedOnlyForUnlinkedFiles() {
    assertEquals("/tmp/x", FanotifyMonitor.stripDeletedSuffix("/tmp/x (deleted)", 0));
    assertEquals("/tmp/x (deleted)", FanotifyMonitor.stripDeletedSuffix("/tmp/x (deleted)", 1));
    assertEquals("/tmp/x", FanotifyMonitor.stripDeletedSuffix("/tmp/x", 0));
  }
}
