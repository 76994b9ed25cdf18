package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * minify on a CI runner whose engine is a docker-in-docker service, as GitLab runs one: a
 * container of its own (made from Debian packages by scripts/dind-image.sh, started by
 * scripts/dind.sh) whose engine port and a few app ports are published on this host's
 * 127.0.0.1, and minify on this host with {@code DOCKER_HOST=tcp://127.0.0.1:PORT}. That
 * engine's containers are no processes of this host's namespace and its filesystem has no
 * work directory of ours, so the build must place its sensor in the engine; probes and checks
 * go only through the forwarded ports.
 */
class DindEngineIT {

  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();
  private static final CorpusApp NGINX = new CorpusApp("nginx");
  private static final String IMAGE = "minify-real/nginx:1";
  private static final String SLIM = "minify-it/nginx.slim:dind";
  /** Forwarded by scripts/dind.sh from 127.0.0.1 of this host to the dind container. */
  private static final int BUILD_PORT = 28080;
  private static final int CHECK_PORT = 28081;
  private static final Pattern PASSED = Pattern.compile("(?m)^# passed (\\d+)/(\\d+)$");

  private static String dockerHost;

  @BeforeAll
  static void startDind() throws Exception {
    dockerHost = run(Map.of(), 300, SCRIPTS.resolve("dind.sh").toString(), "start").strip();
    run(Map.of(), 600, SCRIPTS.resolve("dind.sh").toString(), "load", IMAGE);
  }

  @AfterAll
  static void stopDind() throws Exception {
    run(Map.of(), 120, SCRIPTS.resolve("dind.sh").toString(), "stop");
  }

  @Test
  void aCorpusAppIsMinifiedThroughTheDindEngineAndItsSlimImagePassesItsCheck() throws Exception {
    Path workRoot = Files.createTempDirectory("minify-it-work");
    Path report = Files.createTempFile("minify-it-dind", ".json");
    try {
      List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", SLIM, "--work-dir", workRoot.toString(),
          "--report", report.toString(), "--publish-port", BUILD_PORT + ":" + NGINX.ports().get(0)));
      args.addAll(NGINX.defaultFlags());
      try (MinifyProcess minify = MinifyProcess.startWith(Map.of("DOCKER_HOST", dockerHost),
          args.toArray(String[]::new))) {
        assertEquals(0, minify.awaitExit(600), minify.output());
        assertTrue(minify.output().contains("monitor armed in the engine"), minify.output());
      }
      String reportText = Files.readString(report);
      assertTrue(reportText.contains("at " + dockerHost), "the report names the engine: " + reportText.substring(0,
          Math.min(400, reportText.length())));

      // the slim image, in the dind engine, published on a forwarded port, checked from here
      String container = docker(120, "run", "-d", "--pull", "never", "-p", "0.0.0.0:" + CHECK_PORT + ":"
          + NGINX.ports().get(0), SLIM).strip();
      try {
        String out = run(Map.of(), 300, NGINX.dir().resolve("check.sh").toString(), Integer.toString(CHECK_PORT));
        Matcher passed = PASSED.matcher(out);
        assertTrue(passed.find(), out);
        assertEquals(passed.group(2), passed.group(1), "every assertion of nginx's check passes:\n" + out);
      } finally {
        docker(60, "rm", "-f", container);
      }

      // nothing of the build is left in that engine: no container, no run tag, no sensor image
      assertEquals("", docker(60, "ps", "-aq", "--filter", "label=io.minify.owner").strip());
      String tags = docker(60, "images", "--format", "{{.Repository}}:{{.Tag}}");
      assertTrue(tags.lines().noneMatch(t -> t.startsWith("minify-run:") || t.startsWith("minify-sensor:")), tags);
      Leftovers.assertNoneIn(workRoot);
    } finally {
      docker(120, "image", "rm", "-f", SLIM);
      Files.deleteIfExists(report);
      Files.deleteIfExists(workRoot);
    }
  }

  private static String docker(int seconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(Map.of("DOCKER_HOST", dockerHost), seconds, command.toArray(String[]::new));
  }

  private static String run(Map<String, String> env, int seconds, String... command)
      throws IOException, InterruptedException {
    // check.sh reports failed assertions in its output, which the test reads
    return HostCommand.run(env, seconds, !command[0].endsWith("check.sh"), command);
  }
}
