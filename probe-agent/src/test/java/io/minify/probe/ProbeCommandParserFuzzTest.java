package io.minify.probe;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --http-probe-cmd}: a user's text; a bad one is an IllegalArgumentException and nothing else. */
class ProbeCommandParserFuzzTest {

  @Test
  void probeCommands() {
    Fuzzer.ofText("http-probe-cmd", List.of("http:", "https:", "GET:", "post:", "Delete:", ":", "/", "//", "%2e",
            "?a=1", "#", " "))
        .seeds("GET:/health", "post:/api/items", "https:get:/", "/plain", "HEAD:/a/b?c=d", "")
        .allowing(IllegalArgumentException.class)
        .run(ProbeCommandParser::parse);
  }
}
