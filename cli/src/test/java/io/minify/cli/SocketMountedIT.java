package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.pipeline.MinifyVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * minify as a CI job runs it from its image with the engine's socket mounted (GitHub Actions'
 * container steps, Jenkins agents in a pod, GitLab's socket binding): the image is the one
 * scripts/minify-image.sh makes of this build's jar, the container gets the socket and the
 * host network (to reach the ports it publishes on 127.0.0.1), nothing else: no host PID
 * namespace, no capability, no shared work directory. The engine's containers are not its
 * processes, so the build places its sensor in the engine, and the slim image must work.
 */
class SocketMountedIT {

  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();
  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static final String SLIM = "minify-it/python-flask.slim:socket";
  private static ContainerEngine engine;
  private static String minifyImage;

  @BeforeAll
  static void buildTheMinifyImage() throws Exception {
    engine = DockerJavaEngine.connect();
    minifyImage = "minify:" + MinifyVersion.current();
    run(600, SCRIPTS.resolve("minify-image.sh").toString(), MinifyVersion.current());
  }

  @AfterAll
  static void disconnect() {
    engine.close();
  }

  @Test
  void minifyInAContainerWithTheSocketMountedMakesAWorkingSlimImageAndLeavesNothing() throws Exception {
    Path jobDir = Files.createTempDirectory("minify-it-job");
    Files.setPosixFilePermissions(jobDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    try {
      String output = run(600, "docker", "run", "--rm", "-v", "/var/run/docker.sock:/var/run/docker.sock",
          "--network", "host", "-v", jobDir + ":/work", minifyImage, "build", "--http-probe", "--tag", SLIM,
          "--http-probe-cmd", "GET:/health", IMAGE);
      JsonNode report = new ObjectMapper().readTree(jobDir.resolve("minify-report.json").toFile());
      // the progress lines go to stderr (the test's log); the report says where the monitor ran
      String started = "";
      for (JsonNode stage : report.path("stages")) {
        if (stage.path("stage").asText().equals("start gated")) {
          started = stage.path("summary").asText();
        }
      }
      assertTrue(started.endsWith("monitor armed in the engine"), started + "\n" + output);
      assertTrue(report.path("probes").size() >= 2, report.toString());
      assertTrue(engine.images().inspectImage(SLIM).isPresent(), "the slim image is tagged in the host's engine");

      // the slim image answers as the original did
      String container = run(120, "docker", "run", "-d", "--pull", "never", "-p", "127.0.0.1::8080", SLIM).strip();
      try {
        String published = run(30, "docker", "port", container, "8080/tcp").lines()
            .filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElseThrow();
        String health = run(60, "sh", "-c", "for i in $(seq 1 100); do curl -sf http://" + published
            + "/health && exit 0; sleep 0.2; done; exit 1");
        assertTrue(health.contains("ok"), health);
      } finally {
        run(60, "docker", "rm", "-f", container);
      }
      // no container of the build (the target, its slim run, the sensor), no run or sensor tag
      assertEquals(List.of(), engine.containers().containersWithLabel(ContainerSpec.OWNER_LABEL));
      assertEquals(List.of(), TestImages.tagsOf("minify-run"));
      assertEquals(List.of(), TestImages.tagsOf("minify-sensor"));
    } finally {
      TestImages.untag(SLIM);
      try (var files = Files.list(jobDir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(jobDir);
    }
  }

  private static String run(int seconds, String... command) throws IOException, InterruptedException {
    return HostCommand.run(Map.of(), seconds, true, command);
  }
}
