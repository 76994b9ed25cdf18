package io.minify.probe.http;

import io.minify.probe.HttpBody;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2ClientUpgradeCodec;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * {@link HttpProber} on Netty. The response body is streamed through SHA-256 and never kept.
 *
 * <p>Connections: an HTTP/1.1 connection the server keeps open goes back to a small pool per
 * (host port, protocol) for the next request; one the server closed while idle is replaced
 * at once without counting an attempt. A plain-HTTP target that has answered gets one offer
 * of {@code Upgrade: h2c}; if it switches, later requests are streams on one shared HTTP/2
 * connection (new ones by prior knowledge). TLS stays HTTP/1.1. None of this shows in the
 * results: the same bytes are hashed whatever the version.
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

  /**
   * Idle HTTP/1.1 connections kept per target: the crawler has a few requests in flight
   * (default 4); keeping more would only hold sockets open in the app.
   */
  static final int MAX_IDLE_PER_TARGET = 4;
  /** Limit for the aggregated 101 answer to an upgrade offer (headers only in practice). */
  private static final int UPGRADE_RESPONSE_LIMIT = 64 * 1024;

  private final EventLoopGroup group;
  private final SslContext insecureTls;
  private final ConcurrentMap<TargetKey, Target> targets = new ConcurrentHashMap<>();
  private volatile boolean closed;

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
    HttpProtocol protocol = probe.protocol();
    if (retry.maxAttempts() < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + retry.maxAttempts());
    }
    boolean tls = protocol == HttpProtocol.HTTPS;
    boolean settled = protocol != HttpProtocol.AUTO;
    long start = System.nanoTime();
    String lastError = null;
    int attempts = 0;
    while (attempts < retry.maxAttempts()) {
      attempts++;
      Attempt attempt = attemptOnce(probe, hostPort, tls, retry.requestTimeout(), maxBodyBytes);
      HttpProtocol scheme = tls ? HttpProtocol.HTTPS : HttpProtocol.HTTP;
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
        return new HttpFetch(result, response.contentType(), response.location(),
            java.util.Arrays.copyOf(kept, Math.min(kept.length, Math.max(0, maxBodyBytes))));
      }
      lastError = scheme.label() + ": " + attempt.error();
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
            + (attempts == 1 ? "" : "s") + " (last: " + lastError + ")"), "", "", new byte[0]);
  }

  private Attempt attemptOnce(HttpProbe probe, int hostPort, boolean tls, Duration timeout, int keepBytes) {
    Target target = targets.computeIfAbsent(new TargetKey(hostPort, tls), key -> new Target());
    if (!tls && target.h2c == H2c.YES) {
      return overH2(target, probe, hostPort, timeout, keepBytes);
    }
    // The upgrade is only offered once the target has answered HTTP/1.1, so that a connection
    // dropped right after the offer is the offer's fault, not an app still starting; and by
    // one request at a time.
    boolean offer = !tls && target.h2c == H2c.UNTRIED && target.answered && carriesUpgrade(probe)
        && target.upgrading.compareAndSet(false, true);
    try {
      Channel idle = target.takeIdle();
      Exchange exchange = idle == null ? null : h1Exchange(target, idle, probe, hostPort, tls, timeout, keepBytes, offer);
      if (exchange == null || exchange.stale()) {
        // No idle connection, or the server closed it while we sent on it (its keep-alive
        // timeout): the app is fine, so a new connection follows at once, not counted.
        exchange = h1Exchange(target, null, probe, hostPort, tls, timeout, keepBytes, offer);
      }
      if (offer && exchange.attempt().response() == null) {
        // Some servers drop or stall requests that carry an Upgrade header: never offer it to
        // this target again, and send the request plainly at once, without counting.
        target.h2c = H2c.NO;
        exchange = h1Exchange(target, null, probe, hostPort, tls, timeout, keepBytes, false);
      }
      return exchange.attempt();
    } finally {
      if (offer) {
        target.upgrading.set(false);
      }
    }
  }

  /** An Upgrade header can only ride on a request without a body, and not on the probe's own. */
  private static boolean carriesUpgrade(HttpProbe probe) {
    if (!probe.body().isEmpty() || !(probe.method().equals("GET") || probe.method().equals("HEAD"))) {
      return false;
    }
    return probe.headers().keySet().stream().noneMatch(name -> name.equalsIgnoreCase("connection")
        || name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("http2-settings"));
  }

  /**
   * One HTTP/1.1 request, on {@code existing} (an idle kept-alive connection) or a new
   * connection. With {@code offerH2c} the request carries {@code Upgrade: h2c}: a server that
   * switches answers on HTTP/2 stream 1 and the connection becomes the target's HTTP/2
   * connection; one that ignores the offer answers in HTTP/1.1 as usual (most servers do).
   */
  private Exchange h1Exchange(Target target, Channel existing, HttpProbe probe, int hostPort, boolean tls,
      Duration timeout, int keepBytes, boolean offerH2c) {
    long deadline = System.nanoTime() + timeout.toNanos();
    AttemptHandler handler = new AttemptHandler(tls, keepBytes);
    FullHttpRequest request = request(probe);
    boolean reusable = HttpUtil.isKeepAlive(request);
    AtomicBoolean upgraded = new AtomicBoolean();
    Channel channel;
    if (existing != null) {
      channel = existing;
      try {
        // Each request has its own handler state; swap it in before anything is sent.
        channel.pipeline().replace("raw", "raw", handler.rawSniffer());
        channel.pipeline().replace("response", "response", handler.responseCollector());
        if (offerH2c) {
          addUpgradeHandlers(channel, (HttpClientCodec) channel.pipeline().get("http"), handler, upgraded);
        }
      } catch (NoSuchElementException | NullPointerException | ClassCastException e) {
        // The channel closed meanwhile and its pipeline was taken apart.
        request.release();
        channel.close();
        return new Exchange(Attempt.failed("the kept-alive connection was closed", Attempt.Evidence.NONE), true);
      }
      send(channel, request, handler);
    } else {
      ChannelFuture connect = bootstrap(deadline, ch -> {
        HttpClientCodec http = new HttpClientCodec();
        ch.pipeline().addLast("raw", handler.rawSniffer());
        if (tls) {
          ch.pipeline().addLast("tls", insecureTls.newHandler(ch.alloc(), "localhost", hostPort));
        }
        ch.pipeline().addLast("http", http);
        ch.pipeline().addLast("response", handler.responseCollector());
        if (offerH2c) {
          addUpgradeHandlers(ch, http, handler, upgraded);
        }
      }).connect("127.0.0.1", hostPort);
      channel = connect.channel();
      channel.closeFuture().addListener(f -> target.forget(channel));
      connect.addListener((ChannelFuture f) -> {
        if (f.isSuccess()) {
          send(f.channel(), request, handler);
        } else {
          request.release();
          handler.fail(null, connectError(f.cause()), Attempt.Evidence.NONE);
        }
      });
    }
    Attempt attempt = await(handler, deadline, timeout);
    if (attempt.response() != null) {
      target.answered = true;
      if (upgraded.get()) {
        target.h2c = H2c.YES;
        target.useH2(channel);
        return new Exchange(attempt, false);
      }
      if (offerH2c) {
        target.h2c = H2c.NO;
      }
      if (reusable && handler.keepAlive() && channel.isActive()) {
        target.offerIdle(channel, closed);
        return new Exchange(attempt, false);
      }
    }
    channel.close();
    return new Exchange(attempt, existing != null && attempt.response() == null && handler.receivedNothing());
  }

  /** Puts the h2c upgrade between the HTTP codec and the response collector. */
  private static void addUpgradeHandlers(Channel channel, HttpClientCodec http, AttemptHandler handler,
      AtomicBoolean upgraded) {
    Http2MultiplexHandler multiplex = new Http2MultiplexHandler(refusePushes(), new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel stream) {
        // Stream 1 carries the answer to the request that offered the upgrade.
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), handler.responseCollector());
      }
    });
    channel.pipeline().addBefore("response", "upgrade", new HttpClientUpgradeHandler(http,
        new Http2ClientUpgradeCodec((Http2ConnectionHandler) h2FrameCodec(), multiplex), UPGRADE_RESPONSE_LIMIT));
    channel.pipeline().addBefore("response", "upgrade-watch", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_SUCCESSFUL) {
          upgraded.set(true);
          // From now on the connection only carries HTTP/2 frames, for the streams.
          ctx.pipeline().remove("raw");
          ctx.pipeline().replace("response", "sink", new FrameSink());
          ctx.pipeline().remove(this);
        } else if (event == HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_REJECTED) {
          ctx.pipeline().remove(this); // plain HTTP/1.1 goes on, the connection can be kept
        }
        ctx.fireUserEventTriggered(event);
      }
    });
  }

  /**
   * A request on the target's HTTP/2 connection (one connection, one stream per request, so
   * concurrent requests share it), opened with prior knowledge once the target has switched.
   */
  private Attempt overH2(Target target, HttpProbe probe, int hostPort, Duration timeout, int keepBytes) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Channel parent = target.liveH2();
    if (parent != null) {
      Exchange reused = h2Exchange(parent, probe, deadline, timeout, keepBytes);
      if (!reused.stale()) {
        return reused.attempt();
      }
      // GOAWAY or closed while idle: a new connection, at once and not counted.
      target.dropH2(parent);
      deadline = System.nanoTime() + timeout.toNanos();
    }
    ChannelFuture connect = bootstrap(deadline, ch -> {
      ch.pipeline().addLast("h2", h2FrameCodec());
      ch.pipeline().addLast("multiplex", new Http2MultiplexHandler(refusePushes()));
      ch.pipeline().addLast("sink", new FrameSink());
    }).connect("127.0.0.1", hostPort);
    Channel fresh = connect.channel();
    fresh.closeFuture().addListener(f -> target.forget(fresh));
    if (!connect.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        || !connect.isSuccess()) {
      fresh.close();
      return Attempt.failed(connect.isDone() ? connectError(connect.cause())
          : "no complete response within " + timeout.toMillis() + " ms", Attempt.Evidence.NONE);
    }
    Exchange exchange = h2Exchange(fresh, probe, deadline, timeout, keepBytes);
    if (exchange.attempt().response() != null) {
      target.useH2(fresh);
    } else {
      fresh.close();
      if (exchange.stale()) {
        // A new connection that says nothing to HTTP/2: not ready yet, or restarted without
        // h2c. Start over with HTTP/1.1, which is what the retry and protocol logic expects.
        target.h2c = H2c.UNTRIED;
        target.answered = false;
      }
    }
    return exchange.attempt();
  }

  /** One stream on an HTTP/2 connection; stale when the stream got no answer at all. */
  private Exchange h2Exchange(Channel parent, HttpProbe probe, long deadline, Duration timeout, int keepBytes) {
    AttemptHandler handler = new AttemptHandler(false, keepBytes);
    FullHttpRequest request = request(probe);
    Future<Http2StreamChannel> open = new Http2StreamChannelBootstrap(parent)
        .handler(new ChannelInitializer<Http2StreamChannel>() {
          @Override
          protected void initChannel(Http2StreamChannel stream) {
            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), handler.responseCollector());
          }
        })
        .open();
    open.addListener((Future<Http2StreamChannel> f) -> {
      if (f.isSuccess()) {
        send(f.getNow(), request, handler);
      } else {
        request.release();
        handler.fail(null, "cannot open an HTTP/2 stream: " + AttemptHandler.describe(f.cause()),
            Attempt.Evidence.NONE);
      }
    });
    Attempt attempt = await(handler, deadline, timeout);
    Http2StreamChannel stream = open.getNow();
    if (stream != null) {
      stream.close(); // a no-op after a complete answer; resets the stream otherwise
    }
    return new Exchange(attempt, attempt.response() == null && handler.receivedNothing());
  }

  private static void send(Channel channel, FullHttpRequest request, AttemptHandler handler) {
    channel.writeAndFlush(request).addListener((ChannelFuture w) -> {
      if (!w.isSuccess()) {
        handler.failed(null, "cannot send the request: ", w.cause());
        w.channel().close();
      }
    });
  }

  private Bootstrap bootstrap(long deadline, java.util.function.Consumer<Channel> pipeline) {
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, millis))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            pipeline.accept(ch);
          }
        });
  }

  /** Waits for the handler's result until {@code deadline}, which ends {@code timeout} (for the message). */
  private static Attempt await(AttemptHandler handler, long deadline, Duration timeout) {
    try {
      return handler.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      handler.fail(null, "timed out", Attempt.Evidence.NONE); // what arrives later must not count
      return Attempt.failed("no complete response within " + timeout.toMillis() + " ms", Attempt.Evidence.NONE);
    } catch (ExecutionException e) {
      return Attempt.failed(AttemptHandler.describe(e.getCause()), Attempt.Evidence.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Attempt.failed("interrupted", Attempt.Evidence.NONE);
    }
  }

  private static Http2FrameCodec h2FrameCodec() {
    // Server push is of no use to a probe.
    return Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
        .build();
  }

  /** Handler for streams the server opens (pushes, which are disabled): refused. */
  private static ChannelHandler refusePushes() {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel stream) {
        stream.close();
      }
    };
  }

  /** End of an HTTP/2 parent pipeline: connection-level frames are handled by the codec already. */
  private static final class FrameSink extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // the streams on it fail with their own errors
    }
  }

  static FullHttpRequest request(HttpProbe probe) {
    HttpBody body = probe.body();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(probe.method()),
        probe.path(), Unpooled.wrappedBuffer(body.bytes()));
    int port = probe.containerPort();
    request.headers()
        .set(HttpHeaderNames.HOST, port == 80 || port == 443 ? "localhost" : "localhost:" + port)
        .set(HttpHeaderNames.USER_AGENT, "minify-probe")
        .set(HttpHeaderNames.ACCEPT, "*/*");
    if (!body.isEmpty() || BODY_METHODS.contains(probe.method())) {
      request.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length());
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
    closed = true;
    for (Target target : targets.values()) {
      target.closeAll();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Connections are kept per host port and protocol: "auto" may try both on one port. */
  private record TargetKey(int hostPort, boolean tls) {}

  /** Whether a plain-HTTP target speaks h2c, learnt from its answer to an upgrade offer. */
  private enum H2c { UNTRIED, YES, NO }

  /** One request's outcome; stale when a reused connection died before a byte of answer. */
  private record Exchange(Attempt attempt, boolean stale) {}

  /** What is known and kept about one target; shared by the crawler's threads. */
  private static final class Target {
    private final Deque<Channel> idle = new ArrayDeque<>(); // guarded by this
    private Channel h2; // guarded by this
    volatile H2c h2c = H2c.UNTRIED;
    /** Answered HTTP/1.1 at least once: only then is the upgrade offered. */
    volatile boolean answered;
    final AtomicBoolean upgrading = new AtomicBoolean();

    /** The most recently used idle connection still open (the likeliest not to be timed out). */
    synchronized Channel takeIdle() {
      for (Channel channel = idle.pollLast(); channel != null; channel = idle.pollLast()) {
        if (channel.isActive()) {
          return channel;
        }
        channel.close();
      }
      return null;
    }

    void offerIdle(Channel channel, boolean proberClosed) {
      synchronized (this) {
        if (!proberClosed && idle.size() < MAX_IDLE_PER_TARGET && !idle.contains(channel)) {
          idle.addLast(channel);
          return;
        }
      }
      channel.close();
    }

    synchronized Channel liveH2() {
      if (h2 != null && !h2.isActive()) {
        h2 = null;
      }
      return h2;
    }

    /** Makes {@code channel} the HTTP/2 connection; HTTP/1.1 ones are no longer needed. */
    void useH2(Channel channel) {
      List<Channel> obsolete = new ArrayList<>();
      synchronized (this) {
        if (h2 != null && h2 != channel && h2.isActive()) {
          obsolete.add(channel); // another thread set one up meanwhile: keep a single one
        } else {
          h2 = channel;
        }
        obsolete.addAll(idle);
        idle.clear();
      }
      obsolete.forEach(Channel::close);
    }

    void dropH2(Channel channel) {
      synchronized (this) {
        if (h2 == channel) {
          h2 = null;
        }
      }
      channel.close();
    }

    /** Called once a connection closes, so neither the pool nor HTTP/2 hands it out again. */
    synchronized void forget(Channel channel) {
      idle.remove(channel);
      if (h2 == channel) {
        h2 = null;
      }
    }

    void closeAll() {
      List<Channel> all;
      synchronized (this) {
        all = new ArrayList<>(idle);
        idle.clear();
        if (h2 != null) {
          all.add(h2);
          h2 = null;
        }
      }
      all.forEach(Channel::close);
    }
  }
}
