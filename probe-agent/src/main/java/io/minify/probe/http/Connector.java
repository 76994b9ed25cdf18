package io.minify.probe.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Opens the prober's connections to the engine's host (127.0.0.1 unless the engine is reached
 * over the network), on its own event loop threads (daemons, so a
 * prober left open never holds the JVM).
 *
 * <p>TLS accepts any certificate: images ship self-signed ones, and we only talk to a
 * container we started, on the ports its engine published for us.
 */
final class Connector implements AutoCloseable {

  private final SslContext insecureTls;
  private final EventLoopGroup group;
  private final String host;

  Connector(String host) {
    this.host = host;
    try {
      this.insecureTls = SslContextBuilder.forClient()
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up the TLS client: " + e.getMessage(), e);
    }
    this.group = new NioEventLoopGroup(2, new DefaultThreadFactory("minify-probe", true));
  }

  /**
   * Connects to {@code host:hostPort}, giving up at {@code deadline} (a
   * {@link System#nanoTime()} value).
   *
   * @param pipeline puts the handlers into the new channel's pipeline
   */
  ChannelFuture connect(int hostPort, long deadline, Consumer<Channel> pipeline) {
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
        })
        .connect(host, hostPort);
  }

  String host() {
    return host;
  }

  /** The TLS client handler for a new channel to {@code hostPort}. */
  ChannelHandler tls(Channel channel, int hostPort) {
    return insecureTls.newHandler(channel.alloc(), "localhost", hostPort);
  }

  /** Why a connect failed, in the words the retry messages use. */
  static String connectError(Throwable cause) {
    String message = AttemptHandler.describe(cause);
    if (cause instanceof ConnectTimeoutException) {
      return "connect timed out";
    }
    if (message.contains("Connection refused")) {
      return "connection refused (nothing listening yet?)";
    }
    return "cannot connect: " + message;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
