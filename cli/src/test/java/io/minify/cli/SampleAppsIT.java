package io.minify.cli;

import org.awaitility.core.ConditionTimeoutException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.run.RunningContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample app, end to end on the real engine: minify it probing all its routes, run the
 * slim image and check every route, then build again and expect the same image id.
 */
class SampleAppsIT {

  private static ContainerEngine engine;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void connect() {
    engine = DockerJavaEngine.connect();
  }

  @AfterAll
  static void disconnect() {
    engine.close();
  }

  private static final List<String> APPS =
      List.of("python-flask", "node-express", "java-http", "go-http", "static-scratch", "whiteout");

  /**
   * Every sample app, or those the system property {@code minify.it.sampleApps} lists
   * (comma-separated): the engine matrix's second run builds python-flask only (cli/pom.xml).
   */
  static List<String> apps() {
    String chosen = System.getProperty("minify.it.sampleApps", "").strip();
    if (chosen.isEmpty()) {
      return APPS;
    }
    List<String> apps = java.util.Arrays.stream(chosen.split(",")).map(String::strip).filter(a -> !a.isEmpty())
        .toList();
    for (String app : apps) {
      if (!APPS.contains(app)) {
        throw new IllegalArgumentException("minify.it.sampleApps: no sample app '" + app + "' (known: " + APPS + ")");
      }
    }
    return apps;
  }

  @ParameterizedTest
  @MethodSource("apps")
  void slimImageAnswersEveryRoute(String app) throws Exception {
    String image = "minify-sample/" + app + ":1.0";
    String slimTag = "minify-it/" + app + ".slim:it";
    SampleRoutes routes = SampleRoutes.of(app);
    Path workRoot = Files.createTempDirectory("minify-it-work");
    Path report = Files.createTempFile("minify-it-report", ".json");
    try {
      List<String> args = new ArrayList<>(List.of("build", image, "--tag", slimTag, "--work-dir", workRoot.toString(),
          "--report", report.toString(), "--quiet"));
      routes.routes().forEach(r -> args.addAll(List.of("--http-probe-cmd", r.probeCommand())));

      CliRun first = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, first.exitCode(), first.toString());
      JsonNode firstReport = new ObjectMapper().readTree(report.toFile());
      String slimId = firstReport.path("slimImageId").asText();
      assertTrue(slimId.startsWith("sha256:"), firstReport.toString());
      assertTrue(engine.images().inspectImage(slimTag).isPresent(), "slim image is tagged");
      // not larger; static-scratch holds nothing but the app (its binary, its site, its data),
      // all of it app content, and loses nothing
      assertTrue(firstReport.path("slim").path("bytes").asLong() <= firstReport.path("original").path("bytes").asLong(),
          firstReport.path("slim") + " vs " + firstReport.path("original"));
      Leftovers.assertNone(engine, workRoot);

      // by the engine's id of the tagged image: the report's id is its content id (the config's
      // digest), by which the containerd image store does not name images
      checkRoutes(engine.images().inspectImage(slimTag).orElseThrow().id().toString(), routes);

      CliRun second = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, second.exitCode(), second.toString());
      assertEquals(slimId, new ObjectMapper().readTree(report.toFile()).path("slimImageId").asText(),
          "the same input must give the same image id");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(slimTag);
      Files.deleteIfExists(report);
      Files.deleteIfExists(workRoot);
    }
  }

  private static void checkRoutes(String imageId, SampleRoutes routes) throws Exception {
    try (RunningContainer slim = RunningContainer.create(engine.containers(),
        new ContainerSpec(imageId, List.of(), Map.of(), List.of(8080), Map.of(ContainerSpec.OWNER_LABEL, "it")))) {
      slim.start();
      int port = slim.hostPorts().get(8080);
      awaitHttp(port, slim);
      for (SampleRoutes.Route r : routes.routes()) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path()))
            .method(r.method(), HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(r.status(), response.statusCode(), r.method() + " " + r.path() + " -> " + response.body()
            + "\ncontainer log:\n" + String.join("\n", slim.logTail(30)));
        assertTrue(response.body().contains(r.word()), r.path() + " body lacks '" + r.word() + "': " + response.body());
      }
    }
  }

  private static void awaitHttp(int port, RunningContainer container) {
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(5)).build();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
        if (!container.state().running()) {
          throw new AssertionError("the slim container exited");
        }
        try {
          HTTP.send(get, HttpResponse.BodyHandlers.discarding());
          return true;
        } catch (IOException notYet) {
          return false;
        }
      });
    } catch (ConditionTimeoutException | AssertionError e) {
      throw new AssertionError("slim container never answered: " + e.getMessage() + "\n"
          + String.join("\n", container.logTail(30)), e);
    }
  }
}
