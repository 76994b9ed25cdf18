package io.minify.probe.file;

import io.minify.fuzz.Fuzzer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --http-probe-cmd-file}: a bad file is an IllegalArgumentException naming the bad part. */
class ProbeFileParserFuzzTest {
  @TempDir
  Path dir;

  @Test
  void probeFiles() {
    Fuzzer.ofText("http-probe-cmd-file", List.of("{", "}", "[", "]", ",", ":", "\"method\"", "\"path\"",
            "\"port\"", "\"headers\"", "\"body\"", "\"bodyFile\"", "\"basicAuth\"", "\"expectStatus\"",
            "\"protocol\"", "\"probes\"", "\"/x\"", "65536", "-1", "1e999", "null", "true", "\"\\u0000\""))
        .seeds("""
            {"probes": [
              {"method": "GET", "path": "/lazy", "port": 8080, "headers": {"Accept": "application/json"},
               "expectStatus": 200},
              {"method": "POST", "path": "/echo", "body": {"fruit": "apple"}, "expectStatus": 200}
            ]}""",
            "[{\"path\": \"/\", \"protocol\": \"https\", \"basicAuth\": {\"username\": \"u\", \"password\": \"p\"}}]",
            "[{\"path\": \"/upload\", \"method\": \"put\", \"bodyFile\": \"missing.bin\"}]",
            "[{\"path\": \"/\", \"heders\": {}}]", "[".repeat(32) + "]".repeat(32), "")
        .allowing(IllegalArgumentException.class)
        .run(text -> ProbeFileParser.parse(text, dir));
  }
}
