package io.minify.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Probes are values: equal requests are one probe wherever repeats are dropped. */
class HttpProbeTest {

  private static HttpProbe post(String body, Map<String, String> headers) {
    return new HttpProbe(HttpProtocol.AUTO, "POST", "/items", 8080, headers,
        HttpBody.of(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void probesEqualByValueAreEqual() {
    HttpProbe one = post("{\"a\":1}", Map.of("Content-Type", "application/json"));
    HttpProbe other = post("{\"a\":1}", Map.of("Content-Type", "application/json"));
    assertEquals(one, other);
    assertEquals(one.hashCode(), other.hashCode());
  }

  @Test
  void equalProbesCollapseAndOrderIsKept() {
    Set<HttpProbe> plan = new LinkedHashSet<>(List.of(
        HttpProbe.get(8080, "/"),
        post("x", Map.of()),
        HttpProbe.get(8080, "/"),
        post("x", Map.of()),
        post("y", Map.of())));
    assertEquals(List.of(HttpProbe.get(8080, "/"), post("x", Map.of()), post("y", Map.of())), List.copyOf(plan));
  }

  @Test
  void differentBodiesDoNotCollapse() {
    // Same length and, as UTF-8 text, both just replacement characters: the bytes decide.
    HttpProbe one = new HttpProbe(HttpProtocol.HTTP, "POST", "/", 80, Map.of(),
        HttpBody.of(new byte[] {(byte) 0xff}));
    HttpProbe other = new HttpProbe(HttpProtocol.HTTP, "POST", "/", 80, Map.of(),
        HttpBody.of(new byte[] {(byte) 0xfe}));
    assertNotEquals(one, other);
    assertEquals(2, Set.of(one, other).size());
  }

  @Test
  void everyPartOfTheRequestCounts() {
    HttpProbe base = post("x", Map.of("A", "1"));
    assertNotEquals(base, base.inProtocol(HttpProtocol.HTTPS));
    assertNotEquals(base, base.onPort(8081));
    assertNotEquals(base, post("x", Map.of("A", "2")));
    assertNotEquals(base, post("x", Map.of()));
    assertNotEquals(base, new HttpProbe(HttpProtocol.AUTO, "PUT", "/items", 8080, Map.of("A", "1"), base.body()));
    assertNotEquals(base, new HttpProbe(HttpProtocol.AUTO, "POST", "/other", 8080, Map.of("A", "1"), base.body()));
  }

  @Test
  void headersCompareAsAMapButKeepTheirOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("A", "1");
    ab.put("B", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("B", "2");
    ba.put("A", "1");
    assertEquals(post("x", ab), post("x", ba));
    assertEquals(List.of("B", "A"), List.copyOf(post("x", ba).headers().keySet()), "sent in the order given");
    assertThrows(UnsupportedOperationException.class, () -> post("x", ab).headers().put("C", "3"));
  }

  @Test
  void aProbeIsACopyOfWhatItWasMadeOf() {
    Map<String, String> headers = new LinkedHashMap<>(Map.of("A", "1"));
    HttpProbe probe = post("x", headers);
    headers.put("B", "2");
    assertEquals(Map.of("A", "1"), probe.headers());
  }

  @Test
  void nullsAreRefused() {
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("A", null);
    assertThrows(NullPointerException.class, () -> post("x", nullValue));
    assertThrows(NullPointerException.class, () -> new HttpProbe(null, "GET", "/", 80, Map.of(), HttpBody.empty()));
    assertThrows(NullPointerException.class, () -> new HttpProbe(HttpProtocol.HTTP, "GET", "/", 80, Map.of(), null));
  }
}
