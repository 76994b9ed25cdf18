package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the integration tests that build on the real engine: one engine connection per
 * class, and a fresh work root per test, which each build must leave empty.
 */
abstract class RealEngineTest {

  protected static ContainerEngine engine;
  protected Path workRoot;

  @BeforeAll
  static void connectEngine() {
    engine = DockerJavaEngine.connect();
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @BeforeEach
  void createWorkRoot() throws IOException {
    workRoot = Files.createTempDirectory("minify-it-");
  }

  @AfterEach
  void removeWorkRoot() throws IOException {
    Files.deleteIfExists(workRoot);
  }

  /** A refused option: exit 2, one line naming it, no {@code tag}, nothing left behind. */
  protected void assertRefused(CliRun run, String message, String tag) throws IOException {
    CliRun.assertOptionRefused(run, message);
    assertFalse(engine.images().inspectImage(tag).isPresent(), "no tag after bad input");
    Leftovers.assertNone(engine, workRoot);
  }
}
