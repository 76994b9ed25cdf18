package io.minify.cli;

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
  int get(String path) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < 40; i++) {
      try {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        Thread.sleep(250);
      }
    }
    return -1;
  }

  @Override
  public void close() throws Exception {
    docker("rm", "-f", containerId);
  }

  static String docker(String... args) throws Exception {
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
