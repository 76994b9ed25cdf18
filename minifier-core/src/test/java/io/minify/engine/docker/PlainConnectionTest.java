package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The TLS context of a connection without TLS costs nothing and cannot be used by mistake. */
class PlainConnectionTest {

  @Test
  void everyUseOfTheContextIsRefusedWithWhatToSet() {
    SSLContext context = new PlainConnection().getSSLContext();
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, context::getSocketFactory);
    assertTrue(e.getMessage().contains("DOCKER_TLS_VERIFY"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, context::createSSLEngine);
    assertThrows(UnsupportedOperationException.class, () -> context.init(null, null, null));
    assertThrows(UnsupportedOperationException.class, context::getClientSessionContext);
  }

  @Test
  void onlyAUnixSocketWithoutTlsSettingsGetsIt() {
    assertTrue(DockerJavaEngine.tlsSettings("unix:///var/run/docker.sock", null) instanceof PlainConnection);
    // over tcp:// any settings would make the transport speak https to a plain-HTTP engine
    assertEquals(null, DockerJavaEngine.tlsSettings("tcp://127.0.0.1:2375", null));
    PlainConnection configured = new PlainConnection();
    assertEquals(configured, DockerJavaEngine.tlsSettings("tcp://127.0.0.1:2376", configured));
  }
}
