package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpBody;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the crawl and the API spec may add after the plan: requests not sent yet, by value. */
class SentRequestsTest {

  private static ProbeResult answered(HttpProbe probe, HttpProtocol in) {
    return new ProbeResult(probe, in, 200, 2, "aa", Duration.ofMillis(1), 1, null);
  }

  private static HttpProbe get(HttpProtocol protocol, String path) {
    return new HttpProbe(protocol, "GET", path, 8080, Map.of(), HttpBody.empty());
  }

  private static HttpProbe post(String body) {
    return new HttpProbe(HttpProtocol.AUTO, "POST", "/items", 8080, Map.of("Content-Type", "application/json"),
        HttpBody.of(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anEqualRequestIsSentOnce() {
    SentRequests sent = new SentRequests();
    assertTrue(sent.add(post("{\"a\":1}")));
    assertFalse(sent.add(post("{\"a\":1}")), "equal by value: a new body array with the same bytes");
  }

  @Test
  void differentBodiesAreDifferentRequests() {
    SentRequests sent = new SentRequests();
    assertTrue(sent.add(post("{\"a\":1}")));
    assertTrue(sent.add(post("{\"a\":2}")));
  }

  @Test
  void aPlannedAutoProbeIsTheRequestInTheProtocolThatAnswered() {
    SentRequests sent = new SentRequests();
    sent.answered(answered(HttpProbe.get(8080, "/"), HttpProtocol.HTTP));
    assertFalse(sent.add(get(HttpProtocol.HTTP, "/")), "the crawl's seed is the planned GET /");
    assertTrue(sent.add(get(HttpProtocol.HTTPS, "/")), "in another protocol it is another request");
  }

  @Test
  void anAutoProbeAddedLaterIsResolvedToItsPortsProtocol() {
    SentRequests sent = new SentRequests();
    sent.answered(answered(HttpProbe.get(8080, "/"), HttpProtocol.HTTPS));
    assertTrue(sent.add(get(HttpProtocol.HTTPS, "/items")), "crawled");
    assertFalse(sent.add(HttpProbe.get(8080, "/items")), "the spec's operation in auto was crawled already");
    assertTrue(sent.add(HttpProbe.get(8081, "/items")), "another port");
    assertFalse(sent.add(HttpProbe.get(8081, "/items")), "an unresolved auto probe is still a value");
  }

  @Test
  void headersCount() {
    SentRequests sent = new SentRequests();
    sent.answered(answered(new HttpProbe(HttpProtocol.AUTO, "GET", "/me", 8080, Map.of("Authorization", "Basic x"),
        HttpBody.empty()), HttpProtocol.HTTP));
    assertTrue(sent.add(get(HttpProtocol.HTTP, "/me")), "without the credentials the app may answer otherwise");
  }
}
