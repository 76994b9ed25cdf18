package io.minify.probe.http;

import io.minify.probe.HttpBody;
import io.minify.probe.HttpProbe;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.Set;

/**
 * A probe as the request Netty sends, the same for HTTP/1.1 and HTTP/2 (whose stream codec
 * turns it into frames).
 *
 * <p>The Host header is {@code localhost:<containerPort>} (just {@code localhost} for 80/443),
 * not the host port: the original and the slim container get published on different host
 * ports, and an app that echoes its Host (redirects, absolute links) must answer both runs
 * with the same bytes. A probe's own headers override it.
 */
final class NettyRequest {

  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private NettyRequest() {}

  static FullHttpRequest from(HttpProbe probe) {
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
}
