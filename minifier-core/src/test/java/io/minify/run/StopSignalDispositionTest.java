package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopSignalDispositionTest {

  @Test
  void readsTheCaughtSetForTheStopSignal(@TempDir Path dir) throws Exception {
    // bit 14 (SIGTERM) and bit 2 (SIGQUIT) set
    Path javaLike = Files.writeString(dir.resolve("java"), "SigIgn:\t0000000000000000\nSigCgt:\t0000000000004004\n");
    Path pythonLike = Files.writeString(dir.resolve("python"), "SigCgt:\t0000000000000002\n");
    assertTrue(StopSignalDisposition.catches(javaLike, null));
    assertTrue(StopSignalDisposition.catches(javaLike, "SIGQUIT"));
    assertFalse(StopSignalDisposition.catches(pythonLike, "SIGTERM"));
    assertTrue(StopSignalDisposition.catches(pythonLike, "2"));
  }

  @Test
  void inDoubtItWaits(@TempDir Path dir) {
    assertTrue(StopSignalDisposition.catches(dir.resolve("gone"), null));
    assertTrue(StopSignalDisposition.catches(dir.resolve("gone"), "SIGNOSUCH"));
  }

  @Test
  void signalNames() {
    assertEquals(15, StopSignalDisposition.signalNumber(null));
    assertEquals(3, StopSignalDisposition.signalNumber("quit"));
    assertEquals(28, StopSignalDisposition.signalNumber("SIGWINCH"));
    assertEquals(9, StopSignalDisposition.signalNumber("9"));
    assertNull(StopSignalDisposition.signalNumber("SIGNOSUCH"));
  }
}
