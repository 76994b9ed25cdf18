package io.minify.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber.RetryPolicy;
import io.minify.probe.ProbeResult;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NettyHttpProberTest {

  private static final RetryPolicy QUICK = new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(5));

  @TempDir static Path keyDir;
  private static SslContext serverTls;

  private final NettyHttpProber prober = new NettyHttpProber();

  /**
   * A self-signed certificate made by keytool at test time: Netty's SelfSignedCertificate
   * needs BouncyCastle or JDK internals on Java 17, and no key material is committed.
   */
  @BeforeAll
  static void makeSelfSignedCertificate() throws Exception {
    Path keystore = keyDir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    serverTls = SslContextBuilder.forServer(kmf).build();
  }

  @AfterEach
  void closeProber() {
    prober.close();
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    HttpUtil.setContentLength(response, body.length);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static TestServer helloServer(SslContext tls, int closeFirst) throws InterruptedException {
    return new TestServer(tls, closeFirst, (ctx, req) -> respond(ctx,
        req.uri().equals("/") ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
        "hello".getBytes(StandardCharsets.UTF_8)));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void okResponseWithBodyDigest() throws Exception {
    try (TestServer server = helloServer(null, 0)) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("http", result.protocol());
      assertEquals(5, result.bodyBytes());
      assertEquals(sha256("hello".getBytes(StandardCharsets.UTF_8)), result.bodySha256());
      assertEquals(1, result.attempts());
      assertNull(result.error());
      assertTrue(result.answered());
    }
  }

  @Test
  void notFoundIsAnAnswerNotAnError() throws Exception {
    try (TestServer server = helloServer(null, 0)) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/missing"), server.port(), QUICK);
      assertEquals(404, result.status());
      assertEquals(1, result.attempts());
      assertNull(result.error());
    }
  }

  @Test
  void postBodyAndHeadersReachTheServer() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      byte[] body = new byte[req.content().readableBytes()];
      req.content().readBytes(body);
      String echo = req.method() + " " + req.headers().get(HttpHeaderNames.HOST) + " "
          + req.headers().get("X-Probe") + " " + new String(body, StandardCharsets.UTF_8);
      respond(ctx, HttpResponseStatus.CREATED, echo.getBytes(StandardCharsets.UTF_8));
    })) {
      HttpProbe post = new HttpProbe("http", "POST", "/items", 8080, Map.of("X-Probe", "yes"),
          "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      ProbeResult result = prober.execute(post, server.port(), QUICK);
      assertEquals(201, result.status(), result.toString());
      assertEquals(sha256("POST localhost:8080 yes {\"a\":1}".getBytes(StandardCharsets.UTF_8)), result.bodySha256());
    }
  }

  @Test
  void acceptThenCloseCountsAsNotReadyAndIsRetried() throws Exception {
    try (TestServer server = helloServer(null, 3)) {
      ProbeResult result = prober.execute(new HttpProbe("http", "GET", "/", 80, Map.of(), new byte[0]),
          server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals(4, result.attempts());
      assertEquals(4, server.connections.get());
    }
  }

  @Test
  void nothingListeningGivesAClearErrorAfterMaxAttempts() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), port,
        new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(2)));
    assertEquals(-1, result.status());
    assertEquals(3, result.attempts());
    assertNull(result.protocol());
    assertNull(result.bodySha256());
    assertEquals("no complete response from 127.0.0.1:" + port
        + " after 3 attempts (last: http: connection refused (nothing listening yet?))", result.error());
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> { })) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(),
          new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(300)));
      assertEquals(-1, result.status());
      assertEquals(2, result.attempts());
      assertTrue(result.error().endsWith("(last: http: no complete response within 300 ms)"), result.error());
    }
  }

  @Test
  void httpsWithASelfSignedCertificate() throws Exception {
    try (TestServer server = helloServer(serverTls, 0)) {
      ProbeResult result = prober.execute(new HttpProbe("https", "GET", "/", 8443, Map.of(), new byte[0]),
          server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("https", result.protocol());
      assertEquals(1, result.attempts());
    }
  }

  @Test
  void autoFindsHttps() throws Exception {
    try (TestServer server = helloServer(serverTls, 0)) {
      ProbeResult result = prober.execute(HttpProbe.get(8443, "/"), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("https", result.protocol());
      assertEquals(2, result.attempts(), "one plain attempt, then TLS");
    }
  }

  @Test
  void autoFindsHttpsBehindAnEngineProxyThatIsNotReadyYet() throws Exception {
    try (TestServer server = helloServer(serverTls, 3)) {
      ProbeResult result = prober.execute(HttpProbe.get(8443, "/"), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("https", result.protocol());
      assertTrue(result.attempts() <= 5, result.toString());
    }
  }

  @Test
  void autoStaysOnHttpForAPlainServer() throws Exception {
    try (TestServer server = helloServer(null, 0)) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      assertEquals("http", result.protocol());
      assertEquals(1, result.attempts());
    }
  }

  @Test
  void httpsAgainstAPlainServerSaysSo() throws Exception {
    try (TestServer server = helloServer(null, 0)) {
      ProbeResult result = prober.execute(new HttpProbe("https", "GET", "/", 8080, Map.of(), new byte[0]),
          server.port(), new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(5)));
      assertEquals(-1, result.status());
      assertTrue(result.error().contains("does not speak TLS"), result.error());
    }
  }

  @Test
  void largeBodyIsStreamedThroughTheDigest() throws Exception {
    int chunk = 1 << 20;
    int chunks = 20;
    byte[] block = new byte[chunk];
    for (int i = 0; i < chunk; i++) {
      block[i] = (byte) (i * 31 + 7);
    }
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < chunks; i++) {
      expected.update(block);
    }
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setContentLength(head, (long) chunk * chunks);
      ctx.write(head);
      for (int i = 0; i < chunks; i++) {
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(block)));
      }
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    })) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/big"), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals((long) chunk * chunks, result.bodyBytes());
      assertEquals(HexFormat.of().formatHex(expected.digest()), result.bodySha256());
    }
  }

  @Test
  void bodyCutShortIsRetriedNotAccepted() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setContentLength(head, 100);
      ctx.write(head);
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])))
          .addListener(ChannelFutureListener.CLOSE);
    })) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(),
          new RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(5)));
      assertEquals(-1, result.status(), result.toString());
      assertEquals(2, result.attempts());
    }
  }

  @Test
  void autoSwitchesToTlsWhenThePlainRequestGetsATlsAlert() throws Exception {
    byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}; // fatal handshake_failure
    try (RawServer server = new RawServer(alert)) {
      ProbeResult result = prober.execute(HttpProbe.get(8443, "/"), server.port(),
          new RetryPolicy(2, Duration.ofSeconds(5), Duration.ofSeconds(5)));
      assertEquals(-1, result.status());
      assertEquals(2, result.attempts());
      assertTrue(result.error().contains("(last: https: "), "second attempt must use TLS: " + result.error());
      assertTrue(result.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "a protocol switch does not wait");
    }
  }

  @Test
  void autoSwitchesToTlsOnTheGoAndNginxPlainHttpRejection() throws Exception {
    byte[] go = ("HTTP/1.0 400 Bad Request\r\nContent-Length: 48\r\n\r\n"
        + "Client sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);
    try (RawServer server = new RawServer(go)) {
      ProbeResult result = prober.execute(HttpProbe.get(8443, "/"), server.port(),
          new RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(5)));
      assertEquals(2, result.attempts(), result.toString());
      assertTrue(result.error().contains("(last: https: the server does not speak TLS"), result.error());
    }
  }

  /** Answers every connection with fixed bytes once it has read something, then closes. */
  private static final class RawServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    private final Thread thread;

    RawServer(byte[] answer) throws java.io.IOException {
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (java.net.Socket s = socket.accept()) {
            s.getInputStream().read(new byte[4096]);
            s.getOutputStream().write(answer);
            s.getOutputStream().flush();
            s.shutdownOutput();
            Thread.sleep(50);
          } catch (Exception e) {
            // closed, or the client hung up first
          }
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      thread.join(2000);
    }
  }
}
