package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import io.minify.engine.UnusedContainerRuntime;
import io.minify.engine.UnusedImageStore;
import io.minify.pack.DockerArchiveValidator;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensor in the engine against an engine that answers with the sensor's lines: what it
 * reports becomes the access log, what it refuses is one message naming why, and either way
 * its container and its image tag go.
 */
class SidecarSensorTest {

  @TempDir
  Path work;

  private final SensorImages images = new SensorImages();

  @Test
  void whatTheSensorReportsBecomesTheAccessLogAndNothingIsLeft() throws Exception {
    String hex = HexFormat.of().formatHex("/etc/app.conf".getBytes(StandardCharsets.UTF_8));
    ScriptedContainers containers = new ScriptedContainers(List.of("armed", "e o " + hex, "e d 2f"), List.of("end 2"));
    AccessLog log;
    try (SidecarSensor sensor = SidecarSensor.arm(images, containers, work, 4242, Map.of("io.minify.owner", "t"))) {
      assertEquals(List.of("/minify-sensor", "watch", "4242"), containers.created.get(0).entrypoint());
      assertTrue(containers.created.get(0).hostPid());
      assertEquals(List.of("SYS_ADMIN", "SYS_PTRACE"), containers.created.get(0).capAdd());
      log = sensor.stop();
    }
    assertEquals(List.of(UnixPath.of("/etc/app.conf")), List.copyOf(log.files()));
    assertEquals(List.of(UnixPath.of("/")), List.copyOf(log.directories()));
    assertNothingLeft(containers);
  }

  @Test
  void aSensorThatCannotWatchIsOneMessageWithItsWordsAndNothingIsLeft() throws Exception {
    ScriptedContainers containers = new ScriptedContainers(
        List.of("error fanotify_init failed: Operation not permitted: watching a container's files needs CAP_SYS_ADMIN"),
        List.of());
    IOException e = assertThrows(IOException.class, () -> SidecarSensor.arm(images, containers, work, 4242, Map.of()));
    assertEquals("the sensor in the engine cannot watch the container: fanotify_init failed: Operation not permitted:"
        + " watching a container's files needs CAP_SYS_ADMIN", e.getMessage());
    assertNothingLeft(containers);
  }

  @Test
  void aSensorWhoseOutputEndsBeforeItWatchesSaysSoWithItsLog() throws Exception {
    ScriptedContainers containers = new ScriptedContainers(List.of(), List.of());
    containers.endAfterStart = true;
    IOException e = assertThrows(IOException.class, () -> SidecarSensor.arm(images, containers, work, 4242, Map.of()));
    assertEquals("the sensor in the engine stopped before it watched (exec /minify-sensor: exec format error)",
        e.getMessage());
    assertNothingLeft(containers);
  }

  private void assertNothingLeft(ScriptedContainers containers) throws IOException {
    assertEquals(containers.createdIds, containers.removedContainers, "the sensor container goes");
    assertEquals(1, images.loaded.size());
    assertEquals(images.loaded, images.removedImages, "its run-own tag goes");
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(List.of(), left.toList(), "the sensor image's archive goes");
    }
  }

  /** Takes the sensor's image and gives up its tag again. */
  private static final class SensorImages extends UnusedImageStore {
    final List<String> loaded = new ArrayList<>();
    final List<String> removedImages = new ArrayList<>();

    @Override
    public void loadImage(Path archive) throws IOException {
      new DockerArchiveValidator().requireValid(archive);
      loaded.add("loaded");
    }

    @Override
    public void removeImage(String reference) {
      assertTrue(reference.startsWith("minify-sensor:"), reference);
      removedImages.add("loaded");
    }
  }

  /** Answers the sensor's calls; its container prints {@code onStart}, then {@code onTerm} when signalled. */
  private static final class ScriptedContainers extends UnusedContainerRuntime {
    final List<String> onStart;
    final List<String> onTerm;
    final List<ContainerSpec> created = new ArrayList<>();
    final List<String> createdIds = new ArrayList<>();
    final List<String> removedContainers = new ArrayList<>();
    boolean endAfterStart;
    private Consumer<byte[]> stdout;
    private Runnable ended;

    ScriptedContainers(List<String> onStart, List<String> onTerm) {
      this.onStart = onStart;
      this.onTerm = onTerm;
    }

    private void print(List<String> lines) {
      lines.forEach(l -> stdout.accept((l + "\n").getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public String createContainer(ContainerSpec spec) {
      created.add(spec);
      createdIds.add("sensor" + created.size());
      return "sensor" + created.size();
    }

    @Override
    public AutoCloseable followOutput(String containerId, Consumer<byte[]> out, Runnable end) {
      this.stdout = out;
      this.ended = end;
      return () -> {};
    }

    @Override
    public void startContainer(String containerId) {
      print(onStart);
      if (endAfterStart) {
        ended.run();
      }
    }

    @Override
    public void signal(String containerId, String signal) {
      assertEquals("TERM", signal);
      print(onTerm);
    }

    @Override
    public List<String> logTail(String containerId, int lines) {
      return List.of("exec /minify-sensor: exec format error");
    }

    @Override
    public void removeContainer(String containerId) {
      removedContainers.add(containerId);
    }
  }
}
