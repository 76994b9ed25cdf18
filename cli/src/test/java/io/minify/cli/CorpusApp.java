package io.minify.cli;

import org.awaitility.core.ConditionTimeoutException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One app of the corpus of real third-party images ({@code sample-apps/real/NAME}): its image
 * (built by {@code scripts/corpus.sh build NAME}, which {@code scripts/test.sh} runs), the
 * minify flags of its default mode, and its functional check, run against a fresh container
 * published on 127.0.0.1.
 */
record CorpusApp(String name) {
  static final Path REAL = Path.of("..", "sample-apps", "real").toAbsolutePath().normalize();
  private static final Pattern PASSED = Pattern.compile("(?m)^# passed (\\d+)/(\\d+)$");
  private static final Pattern PORTS = Pattern.compile("(?m)^PORTS=\"([0-9 ]+)\"");

  /** What one run of the app's check.sh found. */
  record Check(int passed, int total, String output) {
    boolean allPassed() {
      return total > 0 && passed == total;
    }

    /** Whether the assertion whose name starts with {@code name} ran and passed. */
    boolean passed(String name) {
      return Pattern.compile("(?m)^ok \\d+ - " + Pattern.quote(name)).matcher(output).find();
    }

    /** Whether the assertion whose name starts with {@code name} ran and failed. */
    boolean failed(String name) {
      return Pattern.compile("(?m)^not ok \\d+ - " + Pattern.quote(name)).matcher(output).find();
    }

    @Override
    public String toString() {
      return passed + "/" + total + "\n" + output;
    }
  }

  String image() {
    return "minify-real/" + name + ":1";
  }

  Path dir() {
    return REAL.resolve(name);
  }

  /** The default mode's minify flags, one argument per line (blank lines and # comments skipped). */
  List<String> defaultFlags() throws IOException {
    List<String> flags = new ArrayList<>();
    for (String line : Files.readAllLines(dir().resolve("default.flags"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        flags.add(line);
      }
    }
    return flags;
  }

  List<Integer> ports() throws IOException {
    Matcher m = PORTS.matcher(Files.readString(dir().resolve("app.env")));
    assertTrue(m.find(), name + "/app.env has no PORTS");
    return java.util.Arrays.stream(m.group(1).trim().split("\\s+")).map(Integer::valueOf).toList();
  }

  /** Runs the app's check against a fresh container of {@code image}; removes the container. */
  Check check(String image) throws IOException, InterruptedException {
    return check(image, List.of());
  }

  /** {@link #check(String)} with these {@code docker run} options ({@code --security-opt ...}). */
  Check check(String image, List<String> runOptions) throws IOException, InterruptedException {
    List<String> run = new ArrayList<>(List.of("docker", "run", "-d", "--pull", "never"));
    run.addAll(runOptions);
    for (int port : ports()) {
      run.addAll(List.of("-p", "127.0.0.1::" + port));
    }
    run.add(image);
    String container = exec(run, 120).strip();
    try {
      List<String> command = new ArrayList<>(List.of(dir().resolve("check.sh").toString()));
      for (int port : ports()) {
        String published = exec(List.of("docker", "port", container, port + "/tcp"), 30).lines()
            .filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElseThrow();
        command.add(published.substring(published.lastIndexOf(':') + 1));
      }
      Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      check.getInputStream().transferTo(out);
      assertTrue(check.waitFor(300, TimeUnit.SECONDS), name + ": check.sh did not finish");
      String text = out.toString(StandardCharsets.UTF_8);
      Matcher passed = PASSED.matcher(text);
      int p = 0;
      int t = 0;
      while (passed.find()) {
        p = Integer.parseInt(passed.group(1));
        t = Integer.parseInt(passed.group(2));
      }
      return new Check(p, t, text);
    } finally {
      exec(List.of("docker", "rm", "-f", container), 60);
    }
  }

  /**
   * Starts {@code image}, sends GET {@code path} to its first port once it answers, and returns
   * what the container printed; removes the container.
   */
  String containerLogAfterRequest(String image, String path) throws IOException, InterruptedException {
    int port = ports().get(0);
    String container = exec(List.of("docker", "run", "-d", "--pull", "never", "-p", "127.0.0.1::" + port, image), 120)
        .strip();
    try {
      String published = exec(List.of("docker", "port", container, port + "/tcp"), 30).lines()
          .filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElseThrow();
      java.net.URI uri = java.net.URI.create("http://" + published + path);
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(uri)
          .timeout(java.time.Duration.ofSeconds(5)).build();
      try {
        await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(250))
            .ignoreException(IOException.class)
            .until(() -> http.send(get, java.net.http.HttpResponse.BodyHandlers.discarding()) != null);
        // the log line is written after the response: wait for it, a little
        await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(100))
            .until(() -> exec(List.of("docker", "logs", container), 30).contains(path));
      } catch (ConditionTimeoutException notLogged) {
        // the caller asserts on what the log holds
      }
      return exec(List.of("docker", "logs", container), 30);
    } finally {
      exec(List.of("docker", "rm", "-f", container), 60);
    }
  }

  private static String exec(List<String> command, int seconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command));
    String text = out.toString(StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + text.strip());
    }
    return text;
  }
}
