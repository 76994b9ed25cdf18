package io.minify.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.run.ContinueAfter;
import io.minify.run.HttpAnswer;
import io.minify.run.ProbeEnd;
import io.minify.run.ProbeOutcome;
import io.minify.run.ProbeRecording;
import io.minify.run.Replay;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseComparatorTest {

  private static final HttpProbe BOOK = HttpProbe.get(8080, "/books/1");
  private static final String PAGE = "<html><body><h1>Dune</h1><dl><dt>created</dt><dd>%s</dd></dl>%s</body></html>\n";

  private static HttpAnswer answer(HttpProbe probe, int status, String type, byte[] body) {
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    ProbeResult r = new ProbeResult(probe, HttpProtocol.HTTP, status, body.length, sha, Duration.ofMillis(3), 1, null);
    return HttpAnswer.of(new HttpFetch(r, type, "", body), true);
  }

  private static HttpAnswer page(String created, String extra) {
    return answer(BOOK, 200, "text/html; charset=utf-8",
        String.format(PAGE, created, extra).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpAnswer none() {
    return HttpAnswer.withoutBody(new ProbeResult(BOOK, null, -1, 0, null, Duration.ofSeconds(1), 3,
        "connection refused"));
  }

  private static ProbeRecording recording(HttpAnswer first, HttpAnswer second) {
    return new ProbeRecording(List.of(new ProbeOutcome(first, second, ProbeSource.CMD)), List.of(), false, List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of(), new ProbeEnd.AsPlanned(ContinueAfter.PROBE));
  }

  private static Replay replay(HttpAnswer answer) {
    return new Replay(List.of(answer), List.of(), List.of());
  }

  /** The slim image's answer judged with the original's answers from a second run. */
  private static ProbeComparison confirmed(HttpAnswer first, HttpAnswer slim, HttpAnswer again) {
    ProbeRecording rec = recording(first, first);
    List<ProbeComparison> pass = ResponseComparator.compare(rec, replay(slim), LoosePaths.none());
    assertTrue(ResponseComparator.worthConfirming(pass), pass.toString());
    return only(ResponseComparator.confirm(rec, replay(slim), replay(again), LoosePaths.none(), pass));
  }

  private static ProbeComparison only(List<ProbeComparison> comparisons) {
    assertEquals(1, comparisons.size());
    return comparisons.get(0);
  }

  @Test
  void theSameBytesMatchOnTheBody() {
    HttpAnswer a = page("2026-12-07 02:22:13", "");
    ProbeComparison c = only(ResponseComparator.compare(recording(a, a), replay(a), LoosePaths.none()));
    assertTrue(c.matches());
    assertEquals(ComparedOn.BODY, c.comparedOn());
    assertFalse(c.runDependent());
  }

  @Test
  void aStableBodyThatDiffersSaysWhereWithBothSidesEscaped() {
    HttpAnswer a = page("2026-12-07 02:22", "");
    HttpAnswer slim = page("2026-12-07 02:23", "");
    ProbeComparison c = only(ResponseComparator.compare(recording(a, a), replay(slim), LoosePaths.none()));
    assertFalse(c.matches());
    assertTrue(c.confirmable(), "only the body differs: a second run of the original can tell");
    int at = String.format(PAGE, "2026-12-07 02:22", "").indexOf("02:22") + 4;
    assertEquals("body differs from byte " + at + " on (90 bytes, the original's 90): original"
        + " \"...</dt><dd>2026-12-07 02:22</dd></dl></body></html>\\n\", slim"
        + " \"...</dt><dd>2026-12-07 02:23</dd></dl></body></html>\\n\"", c.difference());
  }

  @Test
  void bytesThatAreNotPrintableAreEscaped() {
    assertEquals("caf\\xc3\\xa9 \\\"x\\\"\\r\\n\\t\\\\",
        BodyExcerpt.excerpt("café \"x\"\r\n\t\\".getBytes(StandardCharsets.UTF_8), 0));
  }

  @Test
  void aBodyThatVariesWithinTheRunIsComparedOnItsShape() {
    HttpAnswer first = page("2026-12-07 02:22:13", "");
    HttpAnswer second = page("2026-12-07 02:22:14", "");
    ProbeComparison same = only(ResponseComparator.compare(recording(first, second),
        replay(page("2026-12-07 02:25:59", "")), LoosePaths.none()));
    assertTrue(same.matches(), same.difference());
    assertEquals(ComparedOn.SHAPE, same.comparedOn());
    ProbeComparison error = only(ResponseComparator.compare(recording(first, second),
        replay(page("2026-12-07 02:25:59", "<p>open /data/motd.txt: no such file</p>")), LoosePaths.none()));
    assertFalse(error.matches(), "words where the original had none: another shape");
    assertEquals("body differs beyond its numbers at byte 79 (133 bytes, the original's 93): original"
        + " \"...2-07 02:22:13</dd></dl></body></html>\\n\", slim \"...2-07 02:25:59</dd></dl><p>open /data/motd.txt:"
        + " no such file</p><...\"", error.difference(), "where the words differ, not where the times do");
  }

  @Test
  void anotherStatusOrNoAnswerIsNotConfirmable() {
    HttpAnswer a = page("x", "");
    ProbeComparison status = only(ResponseComparator.compare(recording(a, a),
        replay(answer(BOOK, 404, "text/html", "gone".getBytes(StandardCharsets.UTF_8))), LoosePaths.none()));
    assertFalse(status.matches());
    assertFalse(status.confirmable());
    assertEquals("status 404 instead of 200", status.difference());
    ProbeComparison nothing = only(ResponseComparator.compare(recording(a, a), replay(none()), LoosePaths.none()));
    assertFalse(nothing.confirmable());
    assertEquals("no response from the slim image: connection refused", nothing.difference());
    assertFalse(ResponseComparator.worthConfirming(List.of(status)));
  }

  @Test
  void aPageThatDiffersBetweenRunsIsRunDependentAndComparedOnWhatTheRunsKept() {
    HttpAnswer first = page("2026-12-07 02:22", "");
    HttpAnswer slim = page("2026-12-07 02:23", "");
    ProbeComparison c = confirmed(first, slim, page("2026-12-07 02:24", ""));
    assertTrue(c.matches(), c.difference());
    assertTrue(c.runDependent());
    assertEquals(ComparedOn.SHAPE, c.comparedOn());
  }

  @Test
  void theSameBytesAsTheSecondRunMatch() {
    HttpAnswer first = page("2026-12-07 02:22", "");
    HttpAnswer slim = page("2026-12-07 02:23", "");
    ProbeComparison c = confirmed(first, slim, slim);
    assertTrue(c.matches());
    assertTrue(c.runDependent());
    assertEquals(ComparedOn.BODY, c.comparedOn());
  }

  @Test
  void aDifferenceTheSecondRunDoesNotShowStays() {
    HttpAnswer first = page("2026-12-07 02:22", "");
    HttpAnswer slim = page("2026-12-07 02:23", "");
    ProbeComparison c = confirmed(first, slim, first);
    assertFalse(c.matches());
    assertFalse(c.runDependent());
    assertTrue(c.difference().endsWith("; a second run of the original answered the same bytes as the first"),
        c.difference());
  }

  @Test
  void aMissingFileOnARunDependentPageStillFails() {
    HttpAnswer first = page("2026-12-07 02:22", "<p>Welcome</p>");
    HttpAnswer slim = page("2026-12-07 02:23", "<p>open /data/motd.txt: no such file or directory</p>");
    ProbeComparison c = confirmed(first, slim, page("2026-12-07 02:24",
        "<p>Welcome</p>"));
    assertFalse(c.matches());
    assertTrue(c.runDependent());
    assertEquals(ComparedOn.SHAPE, c.comparedOn());
  }

  @Test
  void whenEvenTheShapeChangesBetweenRunsOnlyStatusAndTypeAreCompared() {
    HttpAnswer first = page("up 3 minutes", "");
    HttpAnswer slim = page("up 12 seconds", "");
    ProbeComparison c = confirmed(first, slim, page("up 1 hour", ""));
    assertTrue(c.matches());
    assertEquals(ComparedOn.TYPE, c.comparedOn());
  }

  @Test
  void loosePathsAreComparedOnStatusAndType() {
    HttpAnswer first = page("a", "");
    LoosePaths loose = new LoosePaths(List.of("/books/*"));
    ProbeComparison c = only(ResponseComparator.compare(recording(first, first), replay(page("b words", "")), loose));
    assertTrue(c.matches());
    assertEquals(ComparedOn.TYPE, c.comparedOn());
    ProbeComparison json = only(ResponseComparator.compare(recording(first, first),
        replay(answer(BOOK, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8))), loose));
    assertFalse(json.matches());
    assertEquals("content type 'application/json' instead of 'text/html'", json.difference());
  }

  @Test
  void loosePatternsMatchThePathWithoutItsQuery() {
    LoosePaths loose = new LoosePaths(List.of("/books/*", "/api/**", "/s?atus"));
    assertTrue(loose.matches(HttpProbe.get(80, "/books/1?x=2")));
    assertFalse(loose.matches(HttpProbe.get(80, "/books/1/edit")));
    assertTrue(loose.matches(HttpProbe.get(80, "/api/v1/items/3")));
    assertTrue(loose.matches(HttpProbe.get(80, "/status")));
    assertFalse(loose.matches(HttpProbe.get(80, "/")));
    assertEquals("path pattern 'books' must start with '/'", org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new LoosePaths(List.of("books"))).getMessage());
  }

  private static HttpAnswer json(String body) {
    return answer(BOOK, 400, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonWhoseMembersComeInAnotherOrderIsTheSameBody() {
    // Java's Map.of iterates in an order salted at JVM start: two runs of the original may
    // agree by chance while the slim run has the other order (spring-books' 400 answers)
    HttpAnswer original = json("{\"status\":400,\"errors\":{\"author\":\"required\",\"year\":\"too old\"}}");
    HttpAnswer slim = json("{\"errors\":{\"year\":\"too old\",\"author\":\"required\"},\"status\":400}");
    ProbeComparison c = only(ResponseComparator.compare(recording(original, original), replay(slim),
        LoosePaths.none()));
    assertTrue(c.matches(), c.difference());
    assertEquals(ComparedOn.BODY, c.comparedOn());
  }

  @Test
  void jsonWithAnotherValueOrAnotherArrayOrderStillDiffers() {
    HttpAnswer original = json("{\"status\":400,\"errors\":[\"author\",\"year\"]}");
    for (String other : new String[] {"{\"status\":400,\"errors\":[\"year\",\"author\"]}",
        "{\"errors\":[\"author\",\"year\"],\"status\":401}", "{\"status\":400,\"errors\":[\"author\",\"year\"]} x"}) {
      ProbeComparison c = only(ResponseComparator.compare(recording(original, original), replay(json(other)),
          LoosePaths.none()));
      assertFalse(c.matches(), other);
    }
  }

  @Test
  void otherTextIsComparedAsBytesWhateverItsOrder() {
    byte[] a = "status=400&errors=author".getBytes(StandardCharsets.UTF_8);
    byte[] b = "errors=author&status=400".getBytes(StandardCharsets.UTF_8);
    ProbeComparison c = only(ResponseComparator.compare(
        recording(answer(BOOK, 200, "text/plain", a), answer(BOOK, 200, "text/plain", a)),
        replay(answer(BOOK, 200, "text/plain", b)), LoosePaths.none()));
    assertFalse(c.matches());
  }
}
