package io.minify.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProbeCommandParserTest {

  @Test
  void parsesMethodAndPath() {
    HttpProbe p = ProbeCommandParser.parse("GET:/health");
    assertEquals("GET", p.method());
    assertEquals("/health", p.path());
    assertEquals("auto", p.protocol().label());
    assertEquals(ProbeCommandParser.ANY_PORT, p.containerPort());
  }

  @Test
  void methodIsCaseInsensitiveAndProtocolOptional() {
    HttpProbe p = ProbeCommandParser.parse("post:/api/items?x=1");
    assertEquals("POST", p.method());
    assertEquals("/api/items?x=1", p.path());
    HttpProbe tls = ProbeCommandParser.parse("https:get:/");
    assertEquals("https", tls.protocol().label());
    assertEquals("GET", tls.method());
  }

  @Test
  void bareSlashPathMeansGet() {
    assertEquals("GET", ProbeCommandParser.parse("/lazy").method());
  }

  @Test
  void pathMayContainColons() {
    assertEquals("/a:b", ProbeCommandParser.parse("http:GET:/a:b").path());
  }

  @Test
  void afterTheMethodEverythingIsThePathColonsAndAll() {
    HttpProbe p = ProbeCommandParser.parse("GET:/api/time?zone=Europe/Berlin&at=2024-07-01T12:00:00Z");
    assertEquals("GET", p.method());
    assertEquals("/api/time?zone=Europe/Berlin&at=2024-07-01T12:00:00Z", p.path());
    assertEquals("auto", p.protocol().label());
    HttpProbe tls = ProbeCommandParser.parse("https:delete:/items/urn:isbn:0451450523");
    assertEquals("https", tls.protocol().label());
    assertEquals("DELETE", tls.method());
    assertEquals("/items/urn:isbn:0451450523", tls.path());
    assertEquals("/a:b", ProbeCommandParser.parse("/a:b").path(), "a bare path keeps its colons too");
  }

  @Test
  void badPartsAreNamed() {
    assertEquals("unknown protocol 'ftp' in probe 'ftp:get:/' (use http or https)",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("ftp:get:/")).getMessage());
    assertEquals("unknown protocol 'auto' in probe 'auto:get:/' (use http or https)",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("auto:get:/")).getMessage(),
        "auto is what leaving the protocol out means");
    assertEquals("unknown HTTP method 'FETCH' in probe 'FETCH:/x'",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("FETCH:/x")).getMessage());
    assertEquals("path 'x' in probe 'GET:x' must start with '/'",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("GET:x")).getMessage());
    assertEquals("probe 'health' is not [PROTO:]METHOD:PATH (e.g. GET:/health)",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("health")).getMessage());
    assertEquals("unknown HTTP method 'FETCH' in probe 'http:FETCH:/x:y'",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("http:FETCH:/x:y")).getMessage());
    assertEquals("probe 'https:get' is not [PROTO:]METHOD:PATH (e.g. GET:/health)",
        assertThrows(IllegalArgumentException.class, () -> ProbeCommandParser.parse("https:get")).getMessage());
  }
}
