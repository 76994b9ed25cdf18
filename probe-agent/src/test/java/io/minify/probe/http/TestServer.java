package io.minify.probe.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** An embedded HTTP(S) server on 127.0.0.1 for the prober tests. */
final class TestServer implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final Channel channel;
  final AtomicInteger connections = new AtomicInteger();
  /** Requests that arrived on an HTTP/2 stream (h2c servers only). */
  final AtomicInteger h2Requests = new AtomicInteger();

  /**
   * @param tls            server TLS context, or null for plain HTTP
   * @param closeFirst     connections to accept and close at once (like the engine's proxy
   *                       before the app listens)
   * @param handler        answers each request; writes to the context
   */
  TestServer(SslContext tls, int closeFirst, BiConsumer<ChannelHandlerContext, FullHttpRequest> handler)
      throws InterruptedException {
    this(tls, closeFirst, false, handler);
  }

  /** @param h2c also speak HTTP/2 over cleartext, by upgrade and by prior knowledge */
  TestServer(SslContext tls, int closeFirst, boolean h2c, BiConsumer<ChannelHandlerContext, FullHttpRequest> handler)
      throws InterruptedException {
    channel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (connections.incrementAndGet() <= closeFirst) {
              ch.close();
              return;
            }
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            if (h2c) {
              HttpServerCodec source = new HttpServerCodec();
              HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(source,
                  protocol -> AsciiString.contentEquals("h2c", protocol)
                      ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(),
                          new Http2MultiplexHandler(streams(handler)))
                      : null);
              ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(source, upgrade,
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel parent) {
                      parent.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                          new Http2MultiplexHandler(streams(handler)));
                    }
                  }));
              ch.pipeline().addLast(new HttpObjectAggregator(1 << 20), requests(handler));
              return;
            }
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), requests(handler));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  private ChannelInitializer<Channel> streams(BiConsumer<ChannelHandlerContext, FullHttpRequest> handler) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel stream) {
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new HttpObjectAggregator(1 << 20),
            requests(handler));
      }
    };
  }

  private ChannelInboundHandlerAdapter requests(BiConsumer<ChannelHandlerContext, FullHttpRequest> handler) {
    return new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (!(msg instanceof FullHttpRequest request)) {
                      ReferenceCountUtil.release(msg); // e.g. the upgrade event's leftovers
                      return;
                    }
                    if (ctx.channel() instanceof Http2StreamChannel) {
                      h2Requests.incrementAndGet();
                    }
                    try {
                      handler.accept(ctx, request);
                    } finally {
                      request.release();
                    }
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close(); // e.g. plain HTTP sent to the TLS server: expected in tests
                  }
                };
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
