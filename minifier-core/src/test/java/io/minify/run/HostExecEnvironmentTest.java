package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.probe.HttpProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a host-exec command is told about the container it tests. */
class HostExecEnvironmentTest {

  @Test
  void everyPublishedPortByItsContainerPortAndTheMainOneAsUrl() {
    Map<String, String> env = HostExecEnvironment.of("127.0.0.1", Map.of(8080, 49153, 9090, 49154, 5432, 49155),
        Map.of(9090, HttpProtocol.HTTP, 8080, HttpProtocol.HTTP));
    assertEquals(List.of("MINIFY_TARGET_HOST", "MINIFY_TARGET_PORT", "MINIFY_TARGET_PORT_5432",
        "MINIFY_TARGET_PORT_8080", "MINIFY_TARGET_PORT_9090", "MINIFY_TARGET_URL"), List.copyOf(env.keySet()));
    assertEquals("127.0.0.1", env.get("MINIFY_TARGET_HOST"));
    assertEquals("49153", env.get("MINIFY_TARGET_PORT_8080"));
    assertEquals("49155", env.get("MINIFY_TARGET_PORT_5432"));
    // the lowest HTTP port, not the lowest published one (5432 speaks something else)
    assertEquals("49153", env.get("MINIFY_TARGET_PORT"));
    assertEquals("http://127.0.0.1:49153", env.get("MINIFY_TARGET_URL"));
  }

  @Test
  void aPortThatAnsweredHttpsGetsAnHttpsUrl() {
    Map<String, String> env = HostExecEnvironment.of("127.0.0.1", Map.of(8443, 40000),
        Map.of(8443, HttpProtocol.HTTPS));
    assertEquals("https://127.0.0.1:40000", env.get("MINIFY_TARGET_URL"));
  }

  @Test
  void withoutHttpProbingTheLowestPublishedPortIsTheMainOne() {
    Map<String, String> env = HostExecEnvironment.of("127.0.0.1", Map.of(6379, 41000, 26379, 41001), Map.of());
    assertEquals("41000", env.get("MINIFY_TARGET_PORT"));
    assertEquals("http://127.0.0.1:41000", env.get("MINIFY_TARGET_URL"));
    assertEquals("41001", env.get("MINIFY_TARGET_PORT_26379"));
  }

  @Test
  void anIpv6HostIsBracketedInTheUrlOnly() {
    Map<String, String> env = HostExecEnvironment.of("::1", Map.of(80, 42000), Map.of(80, HttpProtocol.HTTP));
    assertEquals("::1", env.get("MINIFY_TARGET_HOST"));
    assertEquals("http://[::1]:42000", env.get("MINIFY_TARGET_URL"));
  }

  @Test
  void noPublishedPortGivesTheHostAlone() {
    assertEquals(Map.of("MINIFY_TARGET_HOST", "127.0.0.1"), HostExecEnvironment.of("127.0.0.1", Map.of(), Map.of()));
  }
}
