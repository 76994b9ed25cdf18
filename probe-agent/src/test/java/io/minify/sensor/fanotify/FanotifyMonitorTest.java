package io.minify.sensor.fanotify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

  @Test
  void aReadTakesNoMoreEventsThanHalfTheFdsLeft() {
    assertEquals(FanotifyMonitor.MAX_EVENTS_PER_READ, FanotifyMonitor.eventsPerRead(1_000_000));
    assertEquals(FanotifyMonitor.MAX_EVENTS_PER_READ, FanotifyMonitor.eventsPerRead(Long.MAX_VALUE));
    assertEquals(500, FanotifyMonitor.eventsPerRead(1000));
    assertEquals(1, FanotifyMonitor.eventsPerRead(1), "one at a time rather than none");
    assertEquals(1, FanotifyMonitor.eventsPerRead(0));
    assertEquals(1, FanotifyMonitor.eventsPerRead(-5));
  }

  @Test
  void theFdsNameIsWrittenInPlaceForEachFd() {
    FanotifyMonitor.EventBuffers buffers = new FanotifyMonitor.EventBuffers(-1, 2);
    assertEquals(48, buffers.readSize);
    for (int fd : new int[] {123456, 0, 7, 10, 99, 4096, Integer.MAX_VALUE, 3}) {
      assertEquals(String.valueOf(fd), buffers.fdName(fd).getString(0, "US-ASCII"));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
