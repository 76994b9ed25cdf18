package io.minify.probe.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeFileParserTest {

  @Test
  void fullRequests(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("body.bin"), "from a file");
    List<PlannedProbe> probes = ProbeFileParser.parse("""
        {"probes": [
          {"method": "post", "path": "/echo", "port": 8080, "protocol": "https",
           "headers": {"X-Trace": "1"}, "body": {"a": 1}, "expectStatus": 201},
          {"path": "/secret", "basicAuth": {"username": "u", "password": "p"}},
          {"method": "PUT", "path": "/upload", "bodyFile": "body.bin"}
        ]}""", dir);
    PlannedProbe post = probes.get(0);
    assertEquals("POST", post.probe().method());
    assertEquals("https", post.probe().protocol().label());
    assertEquals(8080, post.probe().containerPort());
    assertEquals(201, post.expectedStatus());
    assertEquals(Map.of("X-Trace", "1", "Content-Type", "application/json"), post.probe().headers());
    assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), post.probe().body().bytes());
    PlannedProbe get = probes.get(1);
    assertEquals("GET", get.probe().method());
    assertEquals(ProbeCommandParser.ANY_PORT, get.probe().containerPort());
    assertEquals("Basic dTpw", get.probe().headers().get("Authorization"));
    assertArrayEquals("from a file".getBytes(StandardCharsets.UTF_8), probes.get(2).probe().body().bytes());
  }

  @Test
  void badPartsAreNamed() {
    String json = error("[{\"path\":\"/\"}");
    org.junit.jupiter.api.Assertions.assertTrue(json.startsWith("not valid JSON (line 1, column "), json);
    assertEquals("probes[0]: unknown protocol 'gopher' in probe 'gopher:GET:/' (use http or https)",
        error("[{\"protocol\": \"gopher\", \"path\": \"/\"}]"));
    assertEquals("probes[1]: 'path' is required", error("[{\"path\": \"/\"}, {\"method\": \"GET\"}]"));
    assertEquals("probes[0]: unknown field 'heders' (known: basicAuth, body, bodyFile, expectStatus, headers, method,"
        + " path, port, protocol)", error("[{\"path\": \"/\", \"heders\": {}}]"));
    assertEquals("probes[0].port: '70000' is not a TCP port (1-65535)", error("[{\"path\": \"/\", \"port\": 70000}]"));
    assertEquals("probes[0].expectStatus: '\"ok\"' is not an HTTP status (100-599)",
        error("[{\"path\": \"/\", \"expectStatus\": \"ok\"}]"));
    assertEquals("holds no probes", error("{\"probes\": []}"));
  }

  private static String error(String json) {
    return assertThrows(IllegalArgumentException.class, () -> ProbeFileParser.parse(json, null)).getMessage();
  }
}
