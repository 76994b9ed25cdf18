package io.minify.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.run.ProbeOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseComparatorTest {

  private static final HttpProbe ROOT = HttpProbe.get(8080, "/");

  private static ProbeResult answer(int status, String sha) {
    return new ProbeResult(ROOT, HttpProtocol.HTTP, status, 10, sha, Duration.ofMillis(3), 1, null);
  }

  @Test
  void sameStatusAndBodyMatches() {
    ProbeComparison c = ResponseComparator.compare(List.of(new ProbeOutcome(answer(200, "aa"), true, ProbeSource.CMD)),
        List.of(answer(200, "aa"))).get(0);
    assertTrue(c.matches());
    assertEquals("", c.difference());
  }

  @Test
  void differentBodyFailsWhenTheOriginalWasStable() {
    ProbeComparison c = ResponseComparator.compare(List.of(new ProbeOutcome(answer(200, "aa"), true, ProbeSource.CMD)),
        List.of(answer(200, "bb"))).get(0);
    assertFalse(c.matches());
    assertTrue(c.difference().startsWith("body differs"), c.difference());
  }

  @Test
  void volatileBodyIsComparedByStatusOnly() {
    ProbeComparison c = ResponseComparator.compare(List.of(new ProbeOutcome(answer(200, "aa"), false, ProbeSource.CMD)),
        List.of(answer(200, "bb"))).get(0);
    assertTrue(c.matches());
    assertFalse(c.bodyCompared());
  }

  @Test
  void statusDifferenceAndNoAnswerFail() {
    ProbeComparison status = ResponseComparator.compare(
        List.of(new ProbeOutcome(answer(200, "aa"), false, ProbeSource.CMD)),
        List.of(answer(500, "aa"))).get(0);
    assertEquals("status 500 instead of 200", status.difference());
    ProbeResult none = new ProbeResult(ROOT, null, -1, 0, null, Duration.ofSeconds(1), 3, "connection refused");
    ProbeComparison silent = ResponseComparator.compare(
        List.of(new ProbeOutcome(answer(200, "aa"), true, ProbeSource.CMD)),
        List.of(none)).get(0);
    assertFalse(silent.matches());
    assertEquals("no response from the slim image: connection refused", silent.difference());
  }
}
