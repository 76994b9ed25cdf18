package io.minify.probe.http;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpBody;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProber.RetryPolicy;
import io.minify.probe.LimitReached;
import io.minify.probe.HttpProtocol;
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
      assertEquals("http", result.protocol().label());
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
      HttpProbe post = new HttpProbe(HttpProtocol.HTTP, "POST", "/items", 8080, Map.of("X-Probe", "yes"),
          HttpBody.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
      ProbeResult result = prober.execute(post, server.port(), QUICK);
      assertEquals(201, result.status(), result.toString());
      assertEquals(sha256("POST localhost:8080 yes {\"a\":1}".getBytes(StandardCharsets.UTF_8)), result.bodySha256());
    }
  }

  @Test
  void acceptThenCloseCountsAsNotReadyAndIsRetried() throws Exception {
    try (TestServer server = helloServer(null, 3)) {
      ProbeResult result = prober.execute(new HttpProbe(HttpProtocol.HTTP, "GET", "/", 80, Map.of(), HttpBody.empty()),
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
      assertTrue(result.error().endsWith("(last: http: no response headers within 0.3 s)"), result.error());
      assertEquals(LimitReached.noHeaders(Duration.ofMillis(300), HttpProber.MAX_BODY_BYTES), result.limit());
    }
  }

  @Test
  void aRequestWhoseThreadIsInterruptedEndsAtOnceWithoutMoreAttempts() throws Exception {
    // the probe driver's workers are interrupted when a run of the probes stops: a request of
    // a minute with ten attempts must not hold one of them
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> { })) {
      java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<ProbeResult> request = worker.submit(() -> {
          sent.countDown();
          return prober.execute(HttpProbe.get(8080, "/"), server.port(),
              new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        });
        assertTrue(sent.await(10, TimeUnit.SECONDS));
        while (server.connections.get() == 0) {
          Thread.sleep(5); // the request is in flight: the server holds it without a word
        }
        worker.shutdownNow(); // interrupts it
        ProbeResult result = request.get(20, TimeUnit.SECONDS);
        assertEquals(-1, result.status());
        assertEquals(1, result.attempts(), result.toString());
        assertTrue(result.error().contains("interrupted"), result.error());
      } finally {
        worker.shutdownNow();
      }
    }
  }

  @Test
  void anEndlessStreamSaysHowFarItCame() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setTransferEncodingChunked(head, true);
      ctx.writeAndFlush(head);
      // an event every 20 ms, for as long as the client listens
      var ticks = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(
          new DefaultHttpContent(Unpooled.wrappedBuffer("data: tick\n\n".getBytes(StandardCharsets.UTF_8)))),
          0, 20, TimeUnit.MILLISECONDS);
      ctx.channel().closeFuture().addListener(f -> ticks.cancel(false));
    })) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/events"), server.port(),
          new RetryPolicy(1, Duration.ZERO, Duration.ofMillis(500)));
      assertEquals(-1, result.status(), result.toString());
      LimitReached limit = result.limit();
      assertEquals(LimitReached.Kind.BODY_UNFINISHED, limit.kind(), result.toString());
      assertEquals(200, limit.status());
      assertTrue(limit.bodyBytes() > 0 && limit.bodyBytes() % 12 == 0, limit.toString());
      assertEquals("status 200 and " + limit.bodyBytes() + " bytes of body, still streaming after 0.5 s",
          limit.describe());
      assertTrue(result.error().endsWith("(last: http: " + limit.describe() + ")"), result.error());
    }
  }

  @Test
  void headersThenSilenceIsAnUnfinishedBodyWithNoByte() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setContentLength(head, 10);
      ctx.writeAndFlush(head);
    })) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(),
          new RetryPolicy(1, Duration.ZERO, Duration.ofMillis(300)));
      assertEquals("status 200 but no byte of body within 0.3 s", result.limit().describe(), result.toString());
    }
  }

  @Test
  void aBodyPastTheCapEndsTheRequestAtOnceAndIsNotRetried() throws Exception {
    byte[] block = new byte[1 << 20];
    try (NettyHttpProber capped = new NettyHttpProber("127.0.0.1", 2 << 20);
        TestServer server = new TestServer(null, 0, (ctx, req) -> {
          HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
          HttpUtil.setContentLength(head, 5L << 20);
          ctx.write(head);
          for (int i = 0; i < 5; i++) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(block)));
          }
          ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        })) {
      ProbeResult result = capped.execute(HttpProbe.get(8080, "/disk.img"), server.port(),
          new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(5)));
      assertEquals(-1, result.status(), result.toString());
      assertEquals(1, result.attempts(), "the same app would send the same body again");
      assertEquals(LimitReached.Kind.BODY_TOO_BIG, result.limit().kind());
      assertEquals("status 200 and the body passed 2 MiB, the most a probe reads", result.limit().describe());
      assertTrue(result.limit().bodyBytes() > 2 << 20, result.limit().toString());
      // a body just at the cap is read whole
      try (NettyHttpProber exact = new NettyHttpProber("127.0.0.1", 5L << 20)) {
        ProbeResult two = exact.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
        assertEquals(200, two.status(), two.toString());
        assertNull(two.limit());
      }
    }
  }

  @Test
  void aSlowRouteOnAKeptConnectionIsNotResentAtOnceAsIfTheConnectionWereStale() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      if (req.uri().equals("/")) {
        respondKeepAlive(ctx, HttpResponseStatus.OK, "hello".getBytes(StandardCharsets.UTF_8));
      } // /slow: never answered
    })) {
      assertEquals(200, prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK).status());
      HttpProbe slow = new HttpProbe(HttpProtocol.HTTP, "POST", "/slow", 8080, Map.of(), HttpBody.empty());
      ProbeResult result = prober.execute(slow, server.port(), new RetryPolicy(1, Duration.ZERO,
          Duration.ofMillis(400)));
      assertEquals(LimitReached.Kind.NO_HEADERS, result.limit().kind(), result.toString());
      assertEquals(1, server.connections.get(), "no second connection for a route that is only slow");
      assertTrue(result.elapsed().compareTo(Duration.ofMillis(700)) < 0, "one wait, not two: " + result.elapsed());
    }
  }

  @Test
  void httpsWithASelfSignedCertificate() throws Exception {
    try (TestServer server = helloServer(serverTls, 0)) {
      ProbeResult result = prober.execute(
          new HttpProbe(HttpProtocol.HTTPS, "GET", "/", 8443, Map.of(), HttpBody.empty()), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("https", result.protocol().label());
      assertEquals(1, result.attempts());
    }
  }

  @Test
  void autoFindsHttps() throws Exception {
    try (TestServer server = helloServer(serverTls, 0)) {
      ProbeResult result = prober.execute(HttpProbe.get(8443, "/"), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("https", result.protocol().label());
      assertEquals(2, result.attempts(), "one plain attempt, then TLS");
    }
  }

  @Test
  void autoFindsHttpsBehindAnEngineProxyThatIsNotReadyYet() throws Exception {
    try (TestServer server = helloServer(serverTls, 3)) {
      ProbeResult result = prober.execute(HttpProbe.get(8443, "/"), server.port(), QUICK);
      assertEquals(200, result.status(), result.toString());
      assertEquals("https", result.protocol().label());
      assertTrue(result.attempts() <= 5, result.toString());
    }
  }

  @Test
  void autoStaysOnHttpForAPlainServer() throws Exception {
    try (TestServer server = helloServer(null, 0)) {
      ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      assertEquals("http", result.protocol().label());
      assertEquals(1, result.attempts());
    }
  }

  @Test
  void httpsAgainstAPlainServerSaysSo() throws Exception {
    try (TestServer server = helloServer(null, 0)) {
      ProbeResult result = prober.execute(
          new HttpProbe(HttpProtocol.HTTPS, "GET", "/", 8080, Map.of(), HttpBody.empty()),
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

  /** Answers without closing: the connection stays open for the next request. */
  private static void respondKeepAlive(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    HttpUtil.setContentLength(response, body.length);
    ctx.writeAndFlush(response);
  }

  /** Echoes the path, so a mixed-up answer on a shared connection shows. */
  private static TestServer echoServer(boolean h2c) throws InterruptedException {
    return new TestServer(null, 0, h2c, (ctx, req) -> respondKeepAlive(ctx, HttpResponseStatus.OK,
        ("path " + req.uri() + " host " + req.headers().get(HttpHeaderNames.HOST)).getBytes(StandardCharsets.UTF_8)));
  }

  private void assertEchoed(ProbeResult result, String path) throws Exception {
    assertEquals(200, result.status(), result.toString());
    assertEquals(1, result.attempts(), result.toString());
    assertEquals(sha256(("path " + path + " host localhost:8080").getBytes(StandardCharsets.UTF_8)),
        result.bodySha256(), result.toString());
  }

  @Test
  void keepAliveSendsSequentialRequestsOnOneConnection() throws Exception {
    try (TestServer server = echoServer(false)) {
      for (int i = 0; i < 5; i++) {
        ProbeResult result = prober.execute(HttpProbe.get(8080, "/page/" + i), server.port(), QUICK);
        assertEchoed(result, "/page/" + i);
        assertEquals("http", result.protocol().label());
      }
      HttpProbe post = new HttpProbe(HttpProtocol.HTTP, "POST", "/items", 8080, Map.of(),
          HttpBody.of("x".getBytes(StandardCharsets.UTF_8)));
      assertEchoed(prober.execute(post, server.port(), QUICK), "/items");
      assertEquals(1, server.connections.get(), "the Upgrade offer is ignored and the connection kept");
      assertEquals(0, server.h2Requests.get());
    }
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      respondKeepAlive(ctx, HttpResponseStatus.OK, "hello".getBytes(StandardCharsets.UTF_8));
      ctx.executor().schedule(() -> ctx.close(), 50, TimeUnit.MILLISECONDS); // a short idle timeout
    })) {
      assertEquals(200, prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK).status());
      Thread.sleep(300); // outlasts the server's 50 ms idle timeout: the time passing is the case
      ProbeResult second = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      assertEquals(200, second.status(), second.toString());
      assertEquals(1, second.attempts());
      assertEquals(2, server.connections.get());
    }
  }

  @Test
  void aStaleConnectionIsRetriedOnANewOneWithoutCountingAnAttempt() throws Exception {
    // Every connection answers its first request only, then closes on the next one without a
    // word: what a server whose keep-alive timeout fires as the request arrives looks like.
    io.netty.util.AttributeKey<Boolean> used = io.netty.util.AttributeKey.valueOf("used");
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      if (ctx.channel().attr(used).getAndSet(true) != null) {
        ctx.close();
      } else {
        respondKeepAlive(ctx, HttpResponseStatus.OK, "hello".getBytes(StandardCharsets.UTF_8));
      }
    })) {
      for (int i = 0; i < 3; i++) {
        ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(),
            new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(5)));
        assertEquals(200, result.status(), result.toString());
        assertEquals(1, result.attempts());
        assertEquals(sha256("hello".getBytes(StandardCharsets.UTF_8)), result.bodySha256());
      }
    }
  }

  @Test
  void h2cServerIsTalkedToInHttp2AfterTheUpgrade() throws Exception {
    try (TestServer server = echoServer(true)) {
      for (int i = 0; i < 4; i++) {
        assertEchoed(prober.execute(HttpProbe.get(8080, "/h2/" + i), server.port(), QUICK), "/h2/" + i);
      }
      HttpProbe post = new HttpProbe(HttpProtocol.HTTP, "POST", "/items", 8080, Map.of(),
          HttpBody.of("x".getBytes(StandardCharsets.UTF_8)));
      ProbeResult posted = prober.execute(post, server.port(), QUICK);
      assertEchoed(posted, "/items");
      assertEquals("http", posted.protocol().label(), "the reported protocol stays http");
      assertEquals(4, server.h2Requests.get(), "the first request in HTTP/1.1, the others on HTTP/2 streams");
      assertEquals(1, server.connections.get(), "upgraded on the kept-alive connection");
    }
  }

  @Test
  void h2cLargeBodyStatusAndEmptyBody() throws Exception {
    int size = 5 << 20;
    byte[] big = new byte[size];
    for (int i = 0; i < size; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    try (TestServer server = new TestServer(null, 0, true, (ctx, req) -> {
      switch (req.uri()) {
        case "/big" -> {
          HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
          HttpUtil.setContentLength(head, size);
          ctx.write(head);
          for (int off = 0; off < size; off += 1 << 20) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(big, off, 1 << 20)));
          }
          ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        case "/empty" -> respondKeepAlive(ctx, HttpResponseStatus.NO_CONTENT, new byte[0]);
        default -> respondKeepAlive(ctx, HttpResponseStatus.NOT_FOUND, "nope".getBytes(StandardCharsets.UTF_8));
      }
    })) {
      assertEquals(404, prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK).status());
      ProbeResult large = prober.execute(HttpProbe.get(8080, "/big"), server.port(), QUICK);
      assertEquals(200, large.status(), large.toString());
      assertEquals(size, large.bodyBytes());
      assertEquals(sha256(big), large.bodySha256());
      ProbeResult empty = prober.execute(HttpProbe.get(8080, "/empty"), server.port(), QUICK);
      assertEquals(204, empty.status(), empty.toString());
      assertEquals(0, empty.bodyBytes());
      assertEquals(sha256(new byte[0]), empty.bodySha256());
      ProbeResult again = prober.execute(HttpProbe.get(8080, "/big"), server.port(), QUICK);
      assertEquals(sha256(big), again.bodySha256());
      assertEquals(3, server.h2Requests.get());
    }
  }

  @Test
  void aServerThatIgnoresTheUpgradeStaysOnHttp1() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> respondKeepAlive(ctx, HttpResponseStatus.OK,
        String.valueOf(req.headers().get(HttpHeaderNames.UPGRADE)).getBytes(StandardCharsets.UTF_8)))) {
      ProbeResult first = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      ProbeResult offered = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      ProbeResult after = prober.execute(HttpProbe.get(8080, "/"), server.port(), QUICK);
      assertEquals(sha256("null".getBytes(StandardCharsets.UTF_8)), first.bodySha256());
      assertEquals(sha256("h2c".getBytes(StandardCharsets.UTF_8)), offered.bodySha256(), "the offer was made");
      assertEquals(sha256("null".getBytes(StandardCharsets.UTF_8)), after.bodySha256(), "and not again");
      assertEquals(1, after.attempts());
      assertEquals(1, server.connections.get());
    }
  }

  @Test
  void aServerThatDropsUpgradeRequestsIsAnsweredInHttp1WithoutALostAttempt() throws Exception {
    try (TestServer server = new TestServer(null, 0, (ctx, req) -> {
      if (req.headers().contains(HttpHeaderNames.UPGRADE)) {
        ctx.close();
      } else {
        respondKeepAlive(ctx, HttpResponseStatus.OK, "hello".getBytes(StandardCharsets.UTF_8));
      }
    })) {
      RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(5));
      for (int i = 0; i < 3; i++) {
        ProbeResult result = prober.execute(HttpProbe.get(8080, "/"), server.port(), once);
        assertEquals(200, result.status(), result.toString());
        assertEquals(1, result.attempts());
      }
    }
  }

  @Test
  void concurrentRequestsShareConnectionsCorrectly() throws Exception {
    for (boolean h2c : new boolean[] {false, true}) {
      try (TestServer server = echoServer(h2c)) {
        // Two requests first: the second one offers the upgrade, so all later ones know the answer.
        assertEchoed(prober.execute(HttpProbe.get(8080, "/warm"), server.port(), QUICK), "/warm");
        assertEchoed(prober.execute(HttpProbe.get(8080, "/warm"), server.port(), QUICK), "/warm");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
          java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
          for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
              for (int i = 0; i < 25; i++) {
                String path = "/t" + thread + "/" + i;
                assertEchoed(prober.execute(HttpProbe.get(8080, path), server.port(), QUICK), path);
              }
              return null;
            }));
          }
          for (java.util.concurrent.Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
          }
        } finally {
          pool.shutdownNow();
        }
        assertTrue(server.connections.get() <= 1 + ConnectionPool.MAX_IDLE_PER_TARGET + 4,
            "connections are reused: " + server.connections.get());
        if (h2c) {
          assertEquals(101, server.h2Requests.get(), "every request after the upgrade on an HTTP/2 stream");
          assertEquals(1, server.connections.get(), "one HTTP/2 connection for all threads");
        }
      }
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
            Thread.sleep(50); // a peer that lingers after its answer before the next accept
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
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
