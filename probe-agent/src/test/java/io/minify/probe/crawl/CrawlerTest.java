package io.minify.probe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpBody;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProtocol;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.http.NettyHttpProber;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The crawler against an embedded Netty site: links and assets followed, bounds honoured. */
class CrawlerTest {

  /**
   * A site: / links to /style.css, /a, /logout and /old; the stylesheet to /img/bg.png; /a to
   * /b; /b to /c; /old redirects to /c; /c is a leaf; /loop links to 50 pages.
   */
  private static final Map<String, String> SITE = Map.of(
      "/", "<html><link rel=stylesheet href=/style.css><a href=\"/a\">a</a>"
          + "<a href='http://example.com/x'>away</a><a href=/logout>log out</a><a href=/old>old</a></html>",
      "/a", "<a href=\"b\">b</a><img src=\"/img/logo.png\">",
      "/b", "<form action=\"/c\"></form><form method=post action=\"/never\"></form>",
      "/c", "leaf",
      "/style.css", "body{background:url(img/bg.png)}",
      "/img/logo.png", "PNG",
      "/img/bg.png", "PNG",
      "/logout", "you are logged out");

  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private Channel server;
  private HttpProber prober;

  @BeforeEach
  void start() throws Exception {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    String path = req.uri();
                    hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                    String body = SITE.get(path);
                    if (path.startsWith("/loop")) {
                      StringBuilder b = new StringBuilder();
                      for (int i = 0; i < 50; i++) {
                        b.append("<a href=\"/loop").append(i).append("\">x</a>");
                      }
                      body = b.toString();
                    }
                    boolean moved = path.equals("/old");
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        moved ? HttpResponseStatus.MOVED_PERMANENTLY
                            : body == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(moved ? "" : body == null ? "nope" : body, StandardCharsets.UTF_8));
                    if (moved) {
                      res.headers().set(HttpHeaderNames.LOCATION, "/c");
                    }
                    res.headers().set(HttpHeaderNames.CONTENT_TYPE, path.endsWith(".css") ? "text/css"
                        : path.endsWith(".png") ? "image/png" : "text/html; charset=utf-8");
                    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                  }
                });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    prober = new NettyHttpProber();
  }

  @AfterEach
  void stop() {
    prober.close();
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private CrawlResult crawl(String seed, CrawlLimits limits) throws InterruptedException {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    HttpProber.RetryPolicy once = new HttpProber.RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(5));
    // container port 80 == the Host the prober sends, so absolute links to localhost count
    Crawler crawler = new Crawler(p -> prober.fetch(p, port, once, Crawler.MAX_PAGE_BYTES), limits);
    return crawler.crawl(List.of(new HttpProbe(HttpProtocol.HTTP, "GET", seed, 80, Map.of(), HttpBody.empty())));
  }

  private static List<String> paths(CrawlResult r) {
    return r.pages().stream().map(p -> p.probe().path()).toList();
  }

  @Test
  void followsLinksAssetsStylesheetUrlsRedirectsAndGetFormsWithinTheOrigin() throws Exception {
    CrawlResult r = crawl("/", CrawlLimits.defaults());
    assertEquals(List.of("/", "/style.css", "/a", "/old", "/img/bg.png", "/b", "/img/logo.png", "/c"), paths(r));
    assertFalse(r.truncated());
    assertFalse(hits.containsKey("/never"), "POST forms are not submitted");
    r.pages().forEach(p -> assertEquals(p.probe().path().equals("/old") ? 301 : 200, p.fetch().result().status(),
        p.probe().path()));
  }

  @Test
  void destructiveLookingLinksAreReportedNotFollowed() throws Exception {
    CrawlResult r = crawl("/", CrawlLimits.defaults());
    assertEquals(List.of("GET :80/logout"), r.skipped());
    assertFalse(hits.containsKey("/logout"), "the crawl never logs out");
  }

  @Test
  void depthBoundStopsFollowing() throws Exception {
    CrawlResult r = crawl("/", new CrawlLimits(1, 1000, 2));
    assertEquals(List.of("/", "/style.css", "/a", "/old"), paths(r));
    assertTrue(r.truncated(), "links of /a were left");
    assertFalse(hits.containsKey("/b"));
  }

  @Test
  void pageBoundStopsFetchingWithBoundedConcurrency() throws Exception {
    CrawlResult r = crawl("/loop", new CrawlLimits(3, 10, 3));
    assertEquals(10, r.pages().size());
    assertTrue(r.truncated());
    assertEquals(10, hits.values().stream().mapToInt(AtomicInteger::get).sum(), "no request beyond the bound");
  }
}
