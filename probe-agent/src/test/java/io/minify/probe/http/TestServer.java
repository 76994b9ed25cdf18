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
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** An embedded HTTP(S) server on 127.0.0.1 for the prober tests. */
final class TestServer implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final Channel channel;
  final AtomicInteger connections = new AtomicInteger();

  /**
   * @param tls            server TLS context, or null for plain HTTP
   * @param closeFirst     connections to accept and close at once (like the engine's proxy
   *                       before the app listens)
   * @param handler        answers each request; writes to the context
   */
  TestServer(SslContext tls, int closeFirst, BiConsumer<ChannelHandlerContext, FullHttpRequest> handler)
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
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    FullHttpRequest request = (FullHttpRequest) msg;
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
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
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
