package io.minify.probe.http;

import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.ProbeResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * {@link HttpProber} on Netty. Each attempt is one fresh connection with
 * {@code Connection: close}; the response body is streamed through SHA-256 and never kept.
 *
 * <p>The Host header is {@code localhost:<containerPort>} (just {@code localhost} for 80/443),
 * not the host port: the original and the slim container get published on different host
 * ports, and an app that echoes its Host (redirects, absolute links) must answer both runs
 * with the same bytes. A probe's own headers override it.
 *
 * <p>Protocol "auto" starts with plain HTTP and switches for good on clear evidence (a TLS
 * record in reply to plain HTTP; a plain-text reply to a TLS hello; the "plain HTTP sent to
 * an HTTPS port" 400 pages of Go and nginx). A connection closed without a single byte is
 * ambiguous: the engine's userland proxy does that while the app is not listening yet,
 * and many TLS servers (OpenSSL-based: Node, Python) do it to plain HTTP. Until the protocol
 * is settled, such a failure alternates the protocol of the next attempt, so either kind of
 * server is reached within one extra attempt once it is up.
 *
 * <p>TLS accepts any certificate: images ship self-signed ones, and we only talk to a
 * container we started, on 127.0.0.1.
 */
public final class NettyHttpProber implements HttpProber {

  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private final EventLoopGroup group;
  private final SslContext insecureTls;

  public NettyHttpProber() {
    try {
      this.insecureTls = SslContextBuilder.forClient()
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up the TLS client: " + e.getMessage(), e);
    }
    this.group = new NioEventLoopGroup(2, new DefaultThreadFactory("minify-probe", true));
  }

  @Override
  public ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry) {
    return fetch(probe, hostPort, retry, 0).result();
  }

  @Override
  public HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes) {
    String protocol = probe.protocol();
    if (!Set.of("http", "https", "auto").contains(protocol)) {
      throw new IllegalArgumentException("unknown probe protocol \"" + protocol + "\" (use http, https or auto)");
    }
    if (retry.maxAttempts() < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + retry.maxAttempts());
    }
    boolean tls = protocol.equals("https");
    boolean settled = !protocol.equals("auto");
    long start = System.nanoTime();
    String lastError = null;
    int attempts = 0;
    while (attempts < retry.maxAttempts()) {
      attempts++;
      Attempt attempt = attemptOnce(probe, hostPort, tls, retry.requestTimeout(), maxBodyBytes);
      String scheme = tls ? "https" : "http";
      Attempt.Response response = attempt.response();
      if (response != null) {
        if (!settled && !tls && rejectsPlainHttp(response)) {
          lastError = "http: the server asked for HTTPS (status " + response.status() + ")";
          tls = true;
          settled = true;
          continue; // the app is up: no need to wait
        }
        ProbeResult result = new ProbeResult(probe, scheme, response.status(), response.bodyBytes(),
            response.sha256(), Duration.ofNanos(response.nanos()), attempts, null);
        byte[] kept = response.bodyPrefix();
        return new HttpFetch(result, response.contentType(),
            java.util.Arrays.copyOf(kept, Math.min(kept.length, Math.max(0, maxBodyBytes))));
      }
      lastError = scheme + ": " + attempt.error();
      if (!settled) {
        switch (attempt.evidence()) {
          case PEER_SPEAKS_TLS -> {
            tls = true;
            settled = true;
            continue;
          }
          case PEER_SPEAKS_PLAIN -> {
            tls = false;
            settled = true;
            continue;
          }
          case SILENT_CLOSE -> tls = !tls;
          case NONE -> { }
        }
      }
      if (attempts < retry.maxAttempts() && !pause(retry.waitBetween())) {
        lastError = "interrupted while waiting to retry (last: " + lastError + ")";
        break;
      }
    }
    return new HttpFetch(new ProbeResult(probe, null, -1, 0, null, Duration.ofNanos(System.nanoTime() - start),
        attempts, "no complete response from 127.0.0.1:" + hostPort + " after " + attempts + " attempt"
            + (attempts == 1 ? "" : "s") + " (last: " + lastError + ")"), "", new byte[0]);
  }

  private Attempt attemptOnce(HttpProbe probe, int hostPort, boolean tls, Duration timeout, int keepBytes) {
    AttemptHandler handler = new AttemptHandler(tls, keepBytes);
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("raw", handler.rawSniffer());
            if (tls) {
              ch.pipeline().addLast("tls", insecureTls.newHandler(ch.alloc(), "localhost", hostPort));
            }
            ch.pipeline().addLast("http", new HttpClientCodec());
            ch.pipeline().addLast("response", handler.responseCollector());
          }
        });
    ChannelFuture connect = bootstrap.connect("127.0.0.1", hostPort);
    connect.addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        f.channel().writeAndFlush(request(probe)).addListener((ChannelFuture w) -> {
          if (!w.isSuccess()) {
            handler.failed(null, "cannot send the request: ", w.cause());
            w.channel().close();
          }
        });
      } else {
        handler.fail(null, connectError(f.cause()), Attempt.Evidence.NONE);
      }
    });
    Channel channel = connect.channel();
    try {
      return handler.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return Attempt.failed("no complete response within " + timeout.toMillis() + " ms", Attempt.Evidence.NONE);
    } catch (ExecutionException e) {
      return Attempt.failed(AttemptHandler.describe(e.getCause()), Attempt.Evidence.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Attempt.failed("interrupted", Attempt.Evidence.NONE);
    } finally {
      channel.close();
    }
  }

  static FullHttpRequest request(HttpProbe probe) {
    byte[] body = probe.body();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(probe.method()),
        probe.path(), Unpooled.wrappedBuffer(body));
    int port = probe.containerPort();
    request.headers()
        .set(HttpHeaderNames.HOST, port == 80 || port == 443 ? "localhost" : "localhost:" + port)
        .set(HttpHeaderNames.USER_AGENT, "minify-probe")
        .set(HttpHeaderNames.ACCEPT, "*/*")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (body.length > 0 || BODY_METHODS.contains(probe.method())) {
      request.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }
    for (Map.Entry<String, String> header : probe.headers().entrySet()) {
      request.headers().set(header.getKey(), header.getValue());
    }
    return request;
  }

  /** The 400 pages Go's net/http and nginx send when plain HTTP reaches a TLS port. */
  private static boolean rejectsPlainHttp(Attempt.Response response) {
    if (response.status() != 400) {
      return false;
    }
    String body = new String(response.bodyPrefix(), StandardCharsets.ISO_8859_1);
    return body.contains("HTTP request to an HTTPS server") || body.contains("plain HTTP request was sent to HTTPS port");
  }

  private static String connectError(Throwable cause) {
    String message = AttemptHandler.describe(cause);
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return "connect timed out";
    }
    if (message.contains("Connection refused")) {
      return "connection refused (nothing listening yet?)";
    }
    return "cannot connect: " + message;
  }

  private static boolean pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
