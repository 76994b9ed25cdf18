package io.minify.probe;

import java.util.Map;

/**
 * One HTTP request of a probe plan, addressed by the container port it targets (the host
 * port is only known once a container runs, so it is supplied at execution time).
 *
 * @param protocol      "http", "https", or "auto" (try HTTP; fall back to HTTPS when the
 *                      server does not speak plain HTTP)
 * @param method        upper-case HTTP method
 * @param path          request target starting with "/"
 * @param containerPort the exposed port inside the container
 * @param headers       extra request headers (may be empty)
 * @param body          request body, empty for none
 */
public record HttpProbe(
    String protocol, String method, String path, int containerPort, Map<String, String> headers, byte[] body) {

  public HttpProbe {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  public static HttpProbe get(int containerPort, String path) {
    return new HttpProbe("auto", "GET", path, containerPort, Map.of(), new byte[0]);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** A short human name such as {@code GET :8080/health}. */
  public String describe() {
    return method + " :" + containerPort + path;
  }
}
