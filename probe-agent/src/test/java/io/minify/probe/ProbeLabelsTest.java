package io.minify.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report and the CLI show these labels: they are the strings the report always had. */
class ProbeLabelsTest {

  @Test
  void protocolLabels() {
    assertEquals(List.of("http", "https", "auto"),
        Arrays.stream(HttpProtocol.values()).map(HttpProtocol::label).toList());
    for (HttpProtocol protocol : HttpProtocol.values()) {
      assertEquals(Optional.of(protocol), HttpProtocol.fromLabel(protocol.label()));
    }
    assertEquals(Optional.empty(), HttpProtocol.fromLabel("HTTP"), "labels are lower case");
    assertEquals(Optional.empty(), HttpProtocol.fromLabel("ftp"));
  }

  @Test
  void sourceLabels() {
    assertEquals(List.of("default", "cmd", "file", "crawl", "apispec"),
        Arrays.stream(ProbeSource.values()).map(ProbeSource::label).toList());
  }
}
