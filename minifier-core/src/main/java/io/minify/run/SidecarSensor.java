package io.minify.run;

import io.minify.digest.Digest;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.EngineException;
import io.minify.engine.ExecResult;
import io.minify.engine.ImageStore;
import io.minify.image.ImageReference;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.sensor.AccessLog;
import io.minify.sensor.remote.LineSplitter;
import io.minify.sensor.remote.SensorOutput;
import io.minify.tar.SmallTar;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The file monitor placed inside the engine ({@link SensorPlacement#ENGINE}): a container of
 * minify's own, made from the static {@code minify-sensor} binary this jar ships (loaded with
 * {@code docker load}, nothing pulled), in the engine host's PID namespace with CAP_SYS_ADMIN
 * (fanotify) and CAP_SYS_PTRACE (another container's {@code /proc/PID/root}). It pins the
 * target's first process, marks its root mount, releases the start gate and streams what the
 * target opens back over the engine API (attach), paths as hex of their bytes. The target
 * itself runs with no added privilege.
 */
final class SidecarSensor implements Watch {

  private static final String BINARY_RESOURCE = "/io/minify/sensor/remote/minify-sensor";
  private static final String IN_IMAGE = "/minify-sensor";
  private static final Duration ARM_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration END_TIMEOUT = Duration.ofSeconds(30);

  private final ImageStore images;
  private final ContainerRuntime containers;
  private final ImageReference image;
  private final int pid;
  private final Object lock = new Object();
  private final SensorOutput output;
  private final LineSplitter lines;
  private String containerId;
  private AutoCloseable following;
  private boolean streamEnded;
  private IOException streamFailure;

  private SidecarSensor(ImageStore images, ContainerRuntime containers, ImageReference image, int pid) {
    this.images = images;
    this.containers = containers;
    this.image = image;
    this.pid = pid;
    this.output = new SensorOutput("the root of the container whose first process is " + pid + " in the engine");
    this.lines = new LineSplitter(output::accept);
  }

  /**
   * Starts the sensor on the target whose first process the engine names {@code pid} and waits
   * until it watches and has released the gate.
   *
   * @throws IOException naming what the sensor said when it could not watch
   */
  static SidecarSensor arm(ImageStore images, ContainerRuntime containers, Path workDir, int pid,
      Map<String, String> labels) throws IOException {
    // a tag of this run's own: concurrent builds share the image's bytes, never its tag. It is
    // the run id, so the build that comes after a dead one finds it (one sensor per build)
    String runId = labels.get(ContainerSpec.OWNER_LABEL);
    SidecarSensor sensor = new SidecarSensor(images, containers, new ImageReference(RunSensors.SENSOR_REPOSITORY,
        runId != null && runId.matches("[0-9a-f]{32}") ? runId : UUID.randomUUID().toString().replace("-", "")), pid);
    try {
      sensor.start(workDir, labels);
      return sensor;
    } catch (IOException | RuntimeException e) {
      try {
        sensor.close();
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  private void start(Path workDir, Map<String, String> labels) throws IOException {
    loadImage(workDir);
    ContainerSpec spec = new ContainerSpec(image.toString(), List.of(IN_IMAGE, "watch", Integer.toString(pid)),
        Map.of(), List.of(), labels, List.of(), List.of(), "none", "0:0", "/", Map.of(), ContainerSpec.LOOPBACK, true,
        List.of("SYS_ADMIN", "SYS_PTRACE"));
    containerId = containers.createContainer(spec);
    following = containers.followOutput(containerId, this::take, () -> {
      synchronized (lock) {
        streamEnded = true;
        lock.notifyAll();
      }
    });
    containers.startContainer(containerId);
    awaitOutput(ARM_TIMEOUT, () -> output.armed() || output.error().isPresent());
    if (output.error().isPresent()) {
      throw new IOException("the sensor in the engine cannot watch the container: " + output.error().get());
    }
    if (!output.armed()) {
      boolean ended;
      synchronized (lock) {
        ended = streamEnded;
      }
      throw new IOException("the sensor in the engine " + (ended ? "stopped before it watched"
          : "did not start watching within " + ARM_TIMEOUT.toSeconds() + " s") + said());
    }
  }

  /** The sensor image: its one layer holds the binary, its config runs it. */
  private void loadImage(Path workDir) throws IOException {
    byte[] binary;
    try (InputStream in = SidecarSensor.class.getResourceAsStream(BINARY_RESOURCE)) {
      if (in == null) {
        throw new IOException("the sensor binary " + BINARY_RESOURCE
            + " is missing from the classpath (the build compiles it from probe-agent/src/main/c)");
      }
      binary = in.readAllBytes();
    }
    Path layerFile = workDir.resolve("sensor-layer.tar");
    byte[] layer = SmallTar.of(List.of(SmallTar.file(IN_IMAGE.substring(1), 0755, binary)));
    Files.write(layerFile, layer);
    LayerBlob blob = new LayerBlob(layerFile, Digest.sha256Of(layer), layer.length, 1, binary.length);
    String config = "{\"architecture\":\"" + architecture() + "\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\""
        + IN_IMAGE + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"history\":[]}";
    Path archive = workDir.resolve("sensor-image.tar");
    new DockerArchiveWriter().write(config.getBytes(StandardCharsets.UTF_8), blob, Optional.of(image), archive);
    try {
      images.loadImage(archive);
    } finally {
      Files.deleteIfExists(archive);
      Files.deleteIfExists(layerFile);
    }
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return arch.equals("aarch64") ? "arm64" : arch.equals("x86_64") ? "amd64" : arch;
  }

  private void take(byte[] chunk) {
    synchronized (lock) {
      try {
        lines.write(chunk, 0, chunk.length);
      } catch (IOException e) {
        if (streamFailure == null) {
          streamFailure = e;
        }
      }
      lock.notifyAll();
    }
  }

  private void awaitOutput(Duration timeout, BooleanSupplier done) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!done.getAsBoolean() && !streamEnded && streamFailure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the sensor in the engine", e);
        }
      }
      if (streamFailure != null) {
        throw new IOException("the sensor's output is broken: " + streamFailure.getMessage(), streamFailure);
      }
    }
  }

  /** The sensor's own log, for a failure that has no line of its own. */
  private String said() {
    if (containerId == null) {
      return "";
    }
    List<String> log = containers.logTail(containerId, 5);
    return log.isEmpty() ? "" : " (" + String.join("; ", log) + ")";
  }

  @Override
  public AccessLog stop() throws IOException {
    containers.signal(containerId, "TERM");
    awaitOutput(END_TIMEOUT, output::ended);
    synchronized (lock) {
      if (!output.ended()) {
        throw new IOException("the sensor in the engine did not finish its file list" + said());
      }
      return output.log();
    }
  }

  /** Read by the sensor from the watched process's {@code SigCgt}. */
  @Override
  public boolean catchesSignal(String stopSignal) {
    Integer number = StopSignalDisposition.signalNumber(stopSignal);
    if (number == null) {
      return true;
    }
    try {
      ExecResult r = containers.exec(containerId, List.of(IN_IMAGE, "sigcgt", Integer.toString(pid)),
          Duration.ofSeconds(10));
      String said = new String(r.output(), StandardCharsets.US_ASCII).strip();
      if (r.exitCode() != 0 || !said.startsWith("sigcgt ")) {
        return true;
      }
      return new BigInteger(said.substring("sigcgt ".length()).strip(), 16).testBit(number - 1);
    } catch (EngineException | NumberFormatException e) {
      return true;
    }
  }

  @Override
  public void close() {
    RuntimeException first = null;
    if (following != null) {
      try {
        following.close();
      } catch (Exception e) {
        // the stream goes with the container anyway
      }
    }
    if (containerId != null) {
      try {
        containers.removeContainer(containerId);
      } catch (RuntimeException e) {
        first = e;
      }
    }
    try {
      images.removeImage(image.toString());
    } catch (RuntimeException e) {
      if (first == null) {
        first = e;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

