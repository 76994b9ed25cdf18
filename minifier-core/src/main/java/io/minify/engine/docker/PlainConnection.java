package io.minify.engine.docker;

import com.github.dockerjava.transport.SSLConfig;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS settings of a connection that never speaks TLS: a unix socket (never {@code tcp://},
 * where the transport would take any settings as https). Given no TLS settings, the engine client's
 * transport builds the JVM's default TLS context anyway (it loads and parses the system's
 * trusted certificates, 0.2 to 0.5 s of every start, measured with a class-load log); this
 * context costs nothing to make and refuses to be used, so a path that would need TLS fails
 * loudly instead of silently trusting.
 */
final class PlainConnection implements SSLConfig {

  @Override
  public SSLContext getSSLContext() {
    return new NoTls();
  }

  private static final class NoTls extends SSLContext {
    NoTls() {
      super(new Refusing(), null, "TLS");
    }
  }

  private static final class Refusing extends SSLContextSpi {
    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("this engine connection is not configured for TLS"
          + " (set DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for a TLS engine)");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}
