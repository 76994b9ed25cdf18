package io.minify.probe.http;

import io.minify.probe.LimitReached;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collects one response. Two instances share the state of an attempt: one at the head of
 * the pipeline sees the raw bytes (to recognise a TLS record or a plain-text answer to a
 * TLS hello), one after the HTTP codec streams the body through SHA-256 so bodies of any
 * size are never held in memory.
 */
final class AttemptHandler {
  /** Body bytes kept for sniffing ("plain HTTP sent to HTTPS" pages) when no more is asked for. */
  static final int PREFIX_LIMIT = 1024;

  private final CompletableFuture<Attempt> result = new CompletableFuture<>();
  private final long startNanos = System.nanoTime();
  private final boolean tls;
  private final int keepLimit;
  private final long maxBodyBytes;
  private final Duration timeout;
  private final MessageDigest digest;
  private String contentType = "";
  private String location = "";
  private byte[] firstBytes = new byte[0];
  // Written on the event loop, read by the probing thread once the result is done, or when
  // its time is up (then they tell how far the answer had come).
  private volatile long rawBytes;
  private volatile int status = -1;
  private volatile boolean keepAlive;
  private volatile long bodyBytes;
  private volatile boolean sent;
  private byte[] bodyPrefix = new byte[0];

  /**
   * @param keepLimit    how many body bytes to keep (the crawler reads pages; probes only hash)
   * @param maxBodyBytes how many body bytes to read at most: a longer body fails the attempt
   * @param timeout      how long the attempt may take (for what it says when time is up)
   */
  AttemptHandler(boolean tls, int keepLimit, long maxBodyBytes, Duration timeout) {
    this.tls = tls;
    this.keepLimit = Math.max(PREFIX_LIMIT, keepLimit);
    this.maxBodyBytes = maxBodyBytes;
    this.timeout = timeout;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  CompletableFuture<Attempt> result() {
    return result;
  }

  /** Sends {@code request} on {@code channel}; a failed write fails the attempt and closes the channel. */
  void send(Channel channel, FullHttpRequest request) {
    sent = true;
    channel.writeAndFlush(request).addListener((ChannelFuture w) -> {
      if (!w.isSuccess()) {
        failed(null, "cannot send the request: ", w.cause());
        w.channel().close();
      }
    });
  }

  /**
   * Waits for the result until {@code deadline}, which ends the attempt's timeout. When time is up,
   * the attempt says how far the answer had come: no headers (a slow route), or a status and
   * part of a body (an endless stream, a slow body), or no connection at all.
   */
  Attempt await(long deadline) {
    try {
      return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      Attempt timedOut = !sent ? Attempt.failed("no connection within " + LimitReached.seconds(timeout),
          Attempt.Evidence.NONE)
          : Attempt.limited(status < 0 ? LimitReached.noHeaders(timeout, maxBodyBytes)
              : LimitReached.bodyUnfinished(status, bodyBytes, timeout, maxBodyBytes));
      // what arrives later must not count; what completed the attempt meanwhile does
      return result.complete(timedOut) ? timedOut : result.getNow(timedOut);
    } catch (ExecutionException e) {
      return Attempt.failed(describe(e.getCause()), Attempt.Evidence.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Attempt.failed("interrupted", Attempt.Evidence.NONE);
    }
  }

  /**
   * Whether not a byte of the response arrived: on a reused connection that means the server
   * closed it before reading the request (its idle timeout), so a new connection is safe.
   */
  boolean receivedNothing() {
    return rawBytes == 0 && status < 0;
  }

  /** Whether the server lets the connection stay open after this response (HTTP/1.1, no close). */
  boolean keepAlive() {
    return keepAlive;
  }

  /** Placed first in the pipeline: counts and sniffs raw bytes, passes them on unchanged. */
  ChannelInboundHandlerAdapter rawSniffer() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
          if (firstBytes.length < 8 && buf.isReadable()) {
            int take = Math.min(8 - firstBytes.length, buf.readableBytes());
            byte[] more = new byte[take];
            buf.getBytes(buf.readerIndex(), more);
            byte[] joined = Arrays.copyOf(firstBytes, firstBytes.length + take);
            System.arraycopy(more, 0, joined, firstBytes.length, take);
            firstBytes = joined;
            if (!tls && looksLikeTlsRecord(firstBytes)) {
              // The HTTP codec would only report a garbled status line; stop here.
              buf.release();
              fail(ctx, "the server answered with TLS, not plain HTTP", Attempt.Evidence.PEER_SPEAKS_TLS);
              return;
            }
          }
          rawBytes += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  /** Placed after the HTTP codec. */
  ChannelInboundHandlerAdapter responseCollector() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
          if (result.isDone()) {
            return;
          }
          if (msg instanceof HttpResponse response) {
            if (!checkDecoded(ctx, response.decoderResult())) {
              return;
            }
            status = response.status().code();
            keepAlive = response.protocolVersion().equals(HttpVersion.HTTP_1_1) && HttpUtil.isKeepAlive(response);
            contentType = response.headers().get(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "");
            location = response.headers().get(io.netty.handler.codec.http.HttpHeaderNames.LOCATION, "");
          }
          if (msg instanceof HttpContent content) {
            if (!checkDecoded(ctx, content.decoderResult())) {
              return;
            }
            consume(ctx, content.content());
            if (result.isDone()) {
              return;
            }
            if (content instanceof LastHttpContent) {
              result.complete(Attempt.answered(new Attempt.Response(status, bodyBytes,
                  HexFormat.of().formatHex(digest.digest()), bodyPrefix, contentType, location,
                  System.nanoTime() - startNanos)));
              // The prober keeps the connection for the next request or closes it.
            }
          }
        } finally {
          io.netty.util.ReferenceCountUtil.release(msg);
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (rawBytes == 0) {
          fail(ctx, "the connection was closed before any response (server not ready?)", Attempt.Evidence.SILENT_CLOSE);
        } else if (status < 0) {
          fail(ctx, "the connection was closed before a complete response header", Attempt.Evidence.NONE);
        } else {
          fail(ctx, "the connection was closed after " + bodyBytes + " body bytes, before the end of the response",
              Attempt.Evidence.NONE);
        }
        ctx.fireChannelInactive();
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(ctx, "", cause);
      }
    };
  }

  /**
   * Records a failure from an exception. Also used for a failed request write: a TLS
   * handshake failure fails the pending write too, and whichever comes first must be
   * classified the same way.
   */
  void failed(ChannelHandlerContext ctx, String context, Throwable cause) {
    if (tls && hasCause(cause, NotSslRecordException.class)) {
      fail(ctx, "the server does not speak TLS (it answered: " + printable(firstBytes) + ")",
          Attempt.Evidence.PEER_SPEAKS_PLAIN);
    } else if (tls && rawBytes == 0 && hasCause(cause, javax.net.ssl.SSLException.class)) {
      fail(ctx, "the TLS handshake failed before the server sent anything: " + describe(cause),
          Attempt.Evidence.SILENT_CLOSE);
    } else {
      fail(ctx, context + describe(cause), Attempt.Evidence.NONE);
    }
  }

  private boolean checkDecoded(ChannelHandlerContext ctx, DecoderResult decoded) {
    if (decoded.isSuccess()) {
      return true;
    }
    fail(ctx, (status < 0 ? "not a valid HTTP response: " : "incomplete HTTP response: ")
        + describe(decoded.cause()), Attempt.Evidence.NONE);
    return false;
  }

  private void consume(ChannelHandlerContext ctx, ByteBuf content) {
    int readable = content.readableBytes();
    if (readable == 0) {
      return;
    }
    if (bodyBytes + readable > maxBodyBytes) {
      // read no further: the answer is known to be unusable, and reading on only takes time
      bodyBytes += readable;
      limited(ctx, LimitReached.bodyTooBig(status, bodyBytes, timeout, maxBodyBytes));
      return;
    }
    for (ByteBuffer part : content.nioBuffers()) {
      digest.update(part);
    }
    if (bodyPrefix.length < keepLimit) {
      int take = Math.min(keepLimit - bodyPrefix.length, readable);
      byte[] joined = Arrays.copyOf(bodyPrefix, bodyPrefix.length + take);
      content.getBytes(content.readerIndex(), joined, bodyPrefix.length, take);
      bodyPrefix = joined;
    }
    bodyBytes += readable;
  }

  void fail(ChannelHandlerContext ctx, String error, Attempt.Evidence evidence) {
    if (result.complete(Attempt.failed(error, evidence)) && ctx != null) {
      ctx.close();
    }
  }

  private void limited(ChannelHandlerContext ctx, LimitReached limit) {
    if (result.complete(Attempt.limited(limit)) && ctx != null) {
      ctx.close();
    }
  }

  /** A TLS record starts with a content type 20..23 and major version 3. */
  static boolean looksLikeTlsRecord(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] >= 0x14 && bytes[0] <= 0x17 && bytes[1] == 0x03;
  }

  static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private static boolean hasCause(Throwable cause, Class<? extends Throwable> type) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : bytes) {
      out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
    }
    return out.append("...\"").toString();
  }
}
