package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The integration tests run on the engine they are meant to. minify (in-process, docker-java)
 * and the {@code docker} command line the tests shell out to must reach the same engine, the
 * one {@code DOCKER_HOST} names (or the local socket): a test must never check one engine's
 * containers and images while minify works on another. On the engine matrix's second run
 * ({@code cli/pom.xml}, execution {@code engine-next}, see {@code scripts/test.sh}) the
 * system property {@code minify.it.imageStore} says which image store that engine must have.
 */
class EngineUnderTestIT extends RealEngineTest {

  @Test
  void minifyAndTheDockerCommandLineReachTheSameEngine() throws Exception {
    String label = "io.minify.it.engine-check=" + UUID.randomUUID();
    String id = DockerCli.run("create", "--pull", "never", "--label", label, "minify-base:bookworm", "true").strip();
    try {
      assertEquals(List.of(id), engine.containers().containersWithLabel(label),
          "the container the docker command line created (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ")");
    } finally {
      DockerCli.run("rm", "-f", id);
    }
    String server = DockerCli.run("version", "--format", "{{.Server.Version}}").strip();
    assertTrue(engine.version().contains(server), engine.version() + " vs the command line's " + server);
  }

  @Test
  void theEngineHasTheImageStoreThisRunIsFor() throws Exception {
    String driverStatus = DockerCli.run("info", "--format", "{{.Driver}} {{json .DriverStatus}}").strip();
    String store = driverStatus.contains("io.containerd.snapshotter") ? "containerd" : "classic";
    String expected = System.getProperty("minify.it.imageStore", "").strip();
    if (!expected.isEmpty()) {
      assertEquals(expected, store, "image store of the engine at DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ": "
          + driverStatus);
    }
  }
}
