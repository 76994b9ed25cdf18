package io.minify.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EngineAddressTest {

  @Test
  void aSocketIsLocalAndPublishesOnLoopbackOnly() {
    for (String host : new String[] {null, "", "unix:///var/run/docker.sock", "unix:///run/x/docker.sock"}) {
      EngineAddress a = EngineAddress.of(host);
      assertEquals(new EngineAddress(false, "127.0.0.1"), a, String.valueOf(host));
      assertEquals("127.0.0.1", a.publishAddress());
    }
  }

  @Test
  void anEngineOverTheNetworkIsReachedAtItsHostAndPublishesOnAllItsAddresses() {
    // GitLab's docker-in-docker service, a forwarded port, an SSH context
    assertEquals(new EngineAddress(true, "docker"), EngineAddress.of("tcp://docker:2375"));
    assertEquals(new EngineAddress(true, "127.0.0.1"), EngineAddress.of("tcp://127.0.0.1:23750"));
    assertEquals(new EngineAddress(true, "build-host.example"), EngineAddress.of("ssh://ci@build-host.example"));
    assertEquals(new EngineAddress(true, "::1"), EngineAddress.of("tcp://[::1]:2375"));
    assertEquals("0.0.0.0", EngineAddress.of("tcp://docker:2375").publishAddress());
  }

  @Test
  void anAddressWithoutAHostIsNamedInTheError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineAddress.of("tcp://:2375"));
    assertEquals("DOCKER_HOST 'tcp://:2375' names no host", e.getMessage());
  }
}
