package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor placed inside the engine (the sidecar that remote engines, docker-in-docker and
 * mounted sockets need), forced on the local engine: it must see what the host monitor sees,
 * so the same image gives the same slim image, and it leaves nothing behind (no sensor
 * container, no sensor image tag).
 */
class EnginePlacementIT {

  private static final String IMAGE = "minify-sample/python-flask:1.0";
  private static ContainerEngine engine;

  @BeforeAll
  static void connect() {
    engine = DockerJavaEngine.connect();
  }

  @AfterAll
  static void disconnect() {
    engine.close();
  }

  @Test
  void theSensorInTheEngineMakesTheSameSlimImageAsTheOneOnTheHost() throws Exception {
    Path workRoot = Files.createTempDirectory("minify-it-work");
    Path hostReport = Files.createTempFile("minify-it-host", ".json");
    Path engineReport = Files.createTempFile("minify-it-engine", ".json");
    String hostTag = "minify-it/placement-host:it";
    String engineTag = "minify-it/placement-engine:it";
    try {
      JsonNode onHost = build(Map.of("MINIFY_SENSOR", "host"), hostTag, workRoot, hostReport, "monitor armed on this host");
      JsonNode inEngine = build(Map.of("MINIFY_SENSOR", "engine"), engineTag, workRoot, engineReport,
          "monitor armed in the engine");
      assertEquals(onHost.path("slimImageId").asText(), inEngine.path("slimImageId").asText(),
          "the sidecar's file list is the host monitor's: same kept files, same image");
      assertEquals(onHost.path("access").path("files").asInt(), inEngine.path("access").path("files").asInt(),
          "the same files opened");
      assertTrue(inEngine.path("probes").size() > 0);
      Leftovers.assertNone(engine, workRoot);
      assertEquals(List.of(), TestImages.tagsOf("minify-sensor"), "no sensor image tag left behind");
    } finally {
      TestImages.untag(hostTag);
      TestImages.untag(engineTag);
      Files.deleteIfExists(hostReport);
      Files.deleteIfExists(engineReport);
      Files.deleteIfExists(workRoot);
    }
  }

  @Test
  void aPlacementThatIsNoneOfTheThreeIsRefusedInOneLine() throws Exception {
    try (MinifyProcess minify = MinifyProcess.startWith(Map.of("MINIFY_SENSOR", "inside"), "build", IMAGE)) {
      assertEquals(2, minify.awaitExit(60), minify.output());
      assertEquals("minify: error: MINIFY_SENSOR: sensor placement 'inside' is not auto, host or engine\n",
          minify.output());
    }
  }

  private static JsonNode build(Map<String, String> env, String tag, Path workRoot, Path report, String armed)
      throws Exception {
    try (MinifyProcess minify = MinifyProcess.startWith(env, "build", IMAGE, "--tag", tag, "--work-dir",
        workRoot.toString(), "--report", report.toString(), "--http-probe-cmd", "GET:/health",
        "--http-probe-cmd", "GET:/api/items")) {
      assertEquals(0, minify.awaitExit(300), minify.output());
      assertTrue(minify.output().contains(armed), minify.output());
    }
    return new ObjectMapper().readTree(report.toFile());
  }
}
