package io.minify.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.engine.ImageContentRefusedException;
import io.minify.image.ImageFormatException;
import io.minify.select.KeepRuleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One mapping from faults to exit codes (issue 16: a step, the image reader and the package
 * step decided the same engine refusal as 3, 2 and 1).
 */
class FailuresTest {

  @Test
  void theEngineDownIsTheHostsFault() {
    assertEquals(FailureKind.ENVIRONMENT, Failures.kindOf(new EngineException("connection refused")));
  }

  @Test
  void anEngineThatAnswersWithARefusalIsUpAndRefusesWhatTheBuildWrote() {
    assertEquals(FailureKind.BUILD_FAILED, Failures.kindOf(new EngineRefusedException("load refused", "EOF")));
  }

  @Test
  void theImagesContentOrFormatAndAKeepRuleAreBadInput() {
    assertEquals(FailureKind.BAD_INPUT, Failures.kindOf(new ImageContentRefusedException("../x", null)));
    assertEquals(FailureKind.BAD_INPUT, Failures.kindOf(new ImageFormatException("no manifest")));
    assertEquals(FailureKind.BAD_INPUT, Failures.kindOf(new KeepRuleException("no /x")));
  }

  @Test
  void ioAndAHeapTooSmallAreTheHostsAndAnythingElseIsABug() {
    assertEquals(FailureKind.ENVIRONMENT, Failures.kindOf(new IOException("No space left on device")));
    assertEquals(FailureKind.ENVIRONMENT, Failures.kindOf(new UncheckedIOException(new IOException("x"))));
    assertEquals(FailureKind.ENVIRONMENT, Failures.kindOf(new OutOfMemoryError()));
    assertEquals(FailureKind.INTERNAL, Failures.kindOf(new IllegalStateException("bug")));
    assertEquals(FailureKind.GATE_FAILED, Failures.kindOf(new BuildException(FailureKind.GATE_FAILED, "x")));
  }

  @Test
  void aHeapTooSmallSaysHowToRaiseIt() {
    BuildException e = Failures.asBuildFailure(new OutOfMemoryError(), "ignored");
    assertEquals(FailureKind.ENVIRONMENT, e.kind());
    assertTrue(e.getMessage().contains("MINIFY_JAVA_OPTS=-Xmx"), e.getMessage());
  }

  @Test
  void everyCodeIsDistinctAndTheSignalsAreTheShellsCodes() {
    List<Integer> codes = Arrays.stream(FailureKind.values()).map(FailureKind::exitCode).toList();
    assertEquals(List.of(1, 2, 3, 4, 70, 130, 143), codes);
    assertEquals("143 stopped by SIGTERM", FailureKind.TERMINATED.describe());
    assertTrue(FailureKind.INTERRUPTED.bySignal() && FailureKind.TERMINATED.bySignal());
    assertTrue(!FailureKind.INTERNAL.bySignal());
  }
}
