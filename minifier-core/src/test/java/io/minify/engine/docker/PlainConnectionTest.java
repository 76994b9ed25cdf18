package io.minify.engine.docker;

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
}
