package io.minify.cli;

import java.time.Duration;
import java.io.IOException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A non-HTTP app (redis-server): minified with HTTP probing off, driven by a TCP probe that
 * speaks RESP and by redis-cli run inside the container, then checked from the host with a
 * real RESP conversation (PING, SET, GET).
 */
class ProbeNonHttpIT {

  private static final String IMAGE = "minify-sample/redis:1.0";
  private static final String TAG = "minify-it/redis.slim:1";
  private static ContainerEngine engine;

  @BeforeAll
  static void connect() {
    engine = DockerJavaEngine.connect();
  }

  @AfterAll
  static void disconnect() {
    TestImages.untag(TAG);
    engine.close();
  }

  @Test
  void redisWithTcpProbeAndExecWorksFromTheHost() throws Exception {
    Path workRoot = Files.createTempDirectory("minify-it-redis");
    Path report = Files.createTempFile("minify-it-redis", ".json");
    try {
      CliRun run = CliRun.of("build", IMAGE, "--tag", TAG, "--quiet", "--report", report.toString(),
          "--work-dir", workRoot.toString(), "--http-probe-off",
          "--tcp-probe", "6379:PING\\r\\n:+PONG",
          "--exec", "redis-cli set greeting hello",
          "--exec", "[\"redis-cli\", \"get\", \"greeting\"]",
          "--continue-after", "exec");
      assertEquals(0, run.exitCode(), run.toString());
      assertNothingLeft(workRoot);
      JsonNode root = new ObjectMapper().readTree(report.toFile());
      String probes = root.get("probes").toString();
      assertTrue(probes.contains("\"kind\":\"tcp\"") && probes.contains("\"kind\":\"exec\""), probes);
      assertEquals("exec", root.at("/probing/continuedAfter").asText());

      try (SlimCheck slim = SlimCheck.run(TAG, 6379)) {
        assertEquals("+PONG", resp(slim.hostPort, "PING"));
        assertEquals("+OK", resp(slim.hostPort, "SET", "fruit", "cherry"));
        assertEquals("$6\r\ncherry", resp(slim.hostPort, "GET", "fruit"));
      }
    } finally {
      Files.deleteIfExists(report);
      Files.deleteIfExists(workRoot);
    }
  }

  /**
   * A readiness loop names sleep, which runs only when the server is slow: the watched run
   * waits until redis accepts connections, so it never needs sleep, and the slim image must
   * keep it anyway (and wait the same way before replaying), or the build would pass or fail
   * by how fast redis started.
   */
  @Test
  void programsOfAnExecReadinessLoopAreKeptAndReplayedOnceTheSlimAppIsReady() throws Exception {
    Path workRoot = Files.createTempDirectory("minify-it-redis");
    Path report = Files.createTempFile("minify-it-redis", ".json");
    String loop = "until redis-cli ping; do sleep 1; done";
    try {
      CliRun run = CliRun.of("build", IMAGE, "--tag", TAG, "--quiet", "--report", report.toString(),
          "--work-dir", workRoot.toString(), "--http-probe-off", "--exec", loop,
          "--exec", "redis-cli set greeting hello", "--continue-after", "exec");
      assertEquals(0, run.exitCode(), run.toString());
      assertNothingLeft(workRoot);
      JsonNode root = new ObjectMapper().readTree(report.toFile());

      JsonNode sleep = kept(root, "/usr/bin/sleep");
      assertEquals("exec_program", sleep.path("reason").asText(), sleep.toString());
      // rules 1 and 2 are the shell and redis-cli
      assertEquals("include rule 3: --exec '" + loop + "': sleep", sleep.path("detail").asText());
      assertTrue(root.path("keptByReason").path("exec_program").asInt() >= 1, root.path("keptByReason").toString());
      // redis-cli ran while watched, so "observed" is its first reason; the rule keeps it all the same
      assertTrue(kept(root, "/usr/bin/redis-cli").path("reason").asText().matches("observed|exec_program"));
      assertEquals("[6379]", root.at("/probing/readyPorts").toString(), "exec probes ran once redis accepted");
      List<String> execs = new ArrayList<>();
      root.get("probes").forEach(p -> {
        if (p.get("kind").asText().equals("exec")) {
          execs.add(p.get("probe").asText() + " " + p.get("originalStatus").asInt() + "/" + p.get("slimStatus").asInt()
              + " " + p.get("matches").asBoolean());
        }
      });
      assertEquals(List.of("EXEC " + loop + " 0/0 true", "EXEC redis-cli set greeting hello 0/0 true"), execs);

      // the kept programs run in the slim image, with their libraries
      runInSlim("sleep", "0");
      assertTrue(runInSlim("redis-cli", "--version").contains("redis-cli"));
    } finally {
      Files.deleteIfExists(report);
      Files.deleteIfExists(workRoot);
    }
  }

  /** Runs one program of the slim image to its end (docker start -a fails on a non-zero exit); returns its output. */
  private static String runInSlim(String program, String... args) throws Exception {
    List<String> create = new ArrayList<>(List.of("create", "--entrypoint", program, TAG));
    create.addAll(List.of(args));
    String id = SlimCheck.docker(create.toArray(String[]::new)).strip();
    try {
      return SlimCheck.docker("start", "-a", id);
    } finally {
      SlimCheck.docker("rm", "-f", id);
    }
  }

  private static JsonNode kept(JsonNode report, String path) {
    for (JsonNode k : report.get("kept")) {
      if (k.path("path").asText().equals(path)) {
        return k;
      }
    }
    throw new AssertionError(path + " is not kept: " + report.get("keptByReason"));
  }

  @Test
  void continueAfterTimeoutWatchesWithoutProbes() throws Exception {
    Path workRoot = Files.createTempDirectory("minify-it-redis");
    try {
      CliRun run = CliRun.of("build", IMAGE, "--tag", TAG, "--quiet", "--no-report", "--work-dir",
          workRoot.toString(), "--http-probe-off", "--continue-after", "timeout:2");
      assertEquals(0, run.exitCode(), run.toString());
      assertNothingLeft(workRoot);
      try (SlimCheck slim = SlimCheck.run(TAG, 6379)) {
        assertEquals("+PONG", resp(slim.hostPort, "PING"));
      }
    } finally {
      Files.deleteIfExists(workRoot);
    }
  }

  /** Sends one RESP command; returns the reply without its final CRLF. Retries while redis starts. */
  private static String resp(int port, String... args) throws Exception {
    StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
    for (String a : args) {
      cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    byte[] request = cmd.toString().getBytes(StandardCharsets.UTF_8);
    int lines = args[0].equals("GET") ? 2 : 1;
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions().until(() -> respOnce(port, request, lines), reply -> true);
  }

  /** One connection, one command; throws while redis does not answer yet. */
  private static String respOnce(int port, byte[] request, int lines) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        got.write(b);
        String text = got.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r\n") && text.split("\r\n", -1).length - 1 >= lines) {
          return text.substring(0, text.length() - 2);
        }
      }
      throw new IOException("closed after " + got);
    }
  }

  private static void assertNothingLeft(Path workRoot) throws Exception {
    try (ContainerEngine engine = DockerJavaEngine.connect()) {
      Leftovers.assertNone(engine, workRoot);
    }
  }
}
