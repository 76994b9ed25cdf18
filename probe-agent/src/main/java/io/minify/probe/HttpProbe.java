package io.minify.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request of a probe plan, addressed by the container port it targets (the host
 * port is only known once a container runs, so it is supplied at execution time).
 *
 * <p>Equal probes are the same request: every component has value equality (the body is an
 * {@link HttpBody}, headers compare as a map), so a set of probes is how a plan, the
 * crawler and the probe driver drop repeats. The header map keeps the order it was given in,
 * so the request bytes and every message about the probe are the same from run to run.
 *
 * @param protocol      {@link HttpProtocol#HTTP}, {@link HttpProtocol#HTTPS}, or
 *                      {@link HttpProtocol#AUTO} (try HTTP; fall back to HTTPS when the
 *                      server does not speak plain HTTP)
 * @param method        upper-case HTTP method
 * @param path          request target starting with "/"
 * @param containerPort the exposed port inside the container
 * @param headers       extra request headers (may be empty)
 * @param body          request body, {@link HttpBody#empty()} for none
 */
public record HttpProbe(
    HttpProtocol protocol, String method, String path, int containerPort, Map<String, String> headers,
    HttpBody body) {

  public HttpProbe {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "header name"),
        Objects.requireNonNull(value, "header value")));
    headers = Collections.unmodifiableMap(copy);
  }

  /** {@code GET path} on {@code containerPort}, protocol found by trying ({@link HttpProtocol#AUTO}). */
  public static HttpProbe get(int containerPort, String path) {
    return new HttpProbe(HttpProtocol.AUTO, "GET", path, containerPort, Map.of(), HttpBody.empty());
  }

  /** The same request aimed at another container port. */
  public HttpProbe onPort(int port) {
    return new HttpProbe(protocol, method, path, port, headers, body);
  }

  /** The same request in another protocol. */
  public HttpProbe inProtocol(HttpProtocol other) {
    return new HttpProbe(other, method, path, containerPort, headers, body);
  }

  /** A short human name such as {@code GET :8080/health}. */
  public String describe() {
    return method + " :" + containerPort + path;
  }
}
