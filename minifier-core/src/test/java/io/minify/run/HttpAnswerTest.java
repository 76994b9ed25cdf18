package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpAnswerTest {

  private static String text(String type, String body) {
    return HttpAnswer.shapeOf(type, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void wordsWithDigitsAreMasked() {
    assertEquals(text("text/html", "<dd>2026-12-07 02:22:13</dd> id=a1b2"), text("text/html",
        "<dd>2027-01-31 23:59:59</dd> id=ff99"));
    assertEquals(text("application/json", "{\"up\":12,\"ts\":\"2026-12-07T02:22:13Z\"}"),
        text("application/json", "{\"up\":123456,\"ts\":\"2027-01-01T00:00:00Z\"}"));
  }

  @Test
  void wordsWithoutDigitsAndMarkupCount() {
    assertNotEquals(text("text/html", "<p>Welcome</p>"), text("text/html", "<p>Error</p>"));
    assertNotEquals(text("text/html", "<p>1</p>"), text("text/html", "<div>1</div>"));
  }

  @Test
  void otherBodiesAreTheirLength() {
    assertEquals("bytes:3", HttpAnswer.shapeOf("image/png", new byte[] {1, 2, 3}));
    assertEquals("bytes:2", HttpAnswer.shapeOf("", new byte[] {'a', 0}), "a NUL byte in an untyped body: binary");
  }

  @Test
  void mediaTypeDropsParametersAndCase() {
    assertEquals("text/html", mediaType("Text/HTML; charset=UTF-8"));
    assertEquals("", mediaType(""));
  }

  /** The media type an answer keeps of a response with this Content-Type. */
  private static String mediaType(String contentType) {
    io.minify.probe.ProbeResult r = new io.minify.probe.ProbeResult(io.minify.probe.HttpProbe.get(80, "/"),
        io.minify.probe.HttpProtocol.HTTP, 200, 0, "", java.time.Duration.ZERO, 1, null);
    return HttpAnswer.of(new io.minify.probe.HttpFetch(r, contentType, "", new byte[0]), false).mediaType();
  }
}
