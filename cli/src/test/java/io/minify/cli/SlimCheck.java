package io.minify.cli;

import org.awaitility.core.ConditionTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import static org.awaitility.Awaitility.await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs an image the way a user would ({@code docker run -p 127.0.0.1::PORT}) to check it from
 * the host, independently of minify's own verification. Closing removes the container.
 */
final class SlimCheck implements AutoCloseable {

  private final String containerId;
  final int hostPort;

  private SlimCheck(String containerId, int hostPort) {
    this.containerId = containerId;
    this.hostPort = hostPort;
  }

  static SlimCheck run(String image, int containerPort) throws Exception {
    String id = docker("run", "-d", "-p", "127.0.0.1::" + containerPort, image).strip();
    String mapping = docker("port", id, containerPort + "/tcp").lines().findFirst().orElseThrow().strip();
    return new SlimCheck(id, Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1)));
  }

  /** Status of GET path, retried while the app starts; -1 when it never answered. */
  int get(String path) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + path))
        .timeout(Duration.ofSeconds(10)).build();
    AtomicInteger status = new AtomicInteger(-1);
    try {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).ignoreException(IOException.class)
          .until(() -> {
            status.set(client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode());
            return true;
          });
    } catch (ConditionTimeoutException never) {
      // -1: it never answered
    }
    return status.get();
  }

  @Override
  public void close() throws IOException {
    try {
      docker("rm", "-f", containerId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing " + containerId, e);
    }
  }

  static String docker(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "docker";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
    return out;
  }
}
