package io.minify.engine.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerSpec;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.engine.ExecResult;
import io.minify.pack.ArtifactFinding;
import io.minify.pack.ArtifactFinding.Invariant;
import io.minify.pack.DockerArchiveValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's streamed answers, read and checked against the real engine: load (its
 * message stream), save (the archive to its end), exec (exit code, output bytes) and logs.
 */
class DockerJavaEngineIT {

  private static final String SHELL_IMAGE = "minify-base:bookworm";
  private static final Map<String, String> LABELS = Map.of(ContainerSpec.OWNER_LABEL, "engine-it");
  private static DockerJavaEngine engine;
  private Path dir;
  private Archive archive;

  @BeforeAll
  static void connect() {
    engine = DockerJavaEngine.connect();
  }

  @AfterAll
  static void disconnect() {
    engine.close();
  }

  @BeforeEach
  void writeArchive() throws Exception {
    dir = Files.createTempDirectory("minify-engine-it");
    // unique content, so the image id is this test's own even on a shared engine
    archive = Archive.write(dir.resolve("ok.tar"), "hello " + UUID.randomUUID() + "\n");
  }

  @AfterEach
  void cleanUp() throws IOException {
    engine.images().removeImage(archive.imageId());
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Test
  void aGoodArchiveLoadsAndSavesBackToItsEndMarker() throws Exception {
    new DockerArchiveValidator().requireValid(archive.file());
    engine.images().loadImage(archive.file());
    assertTrue(engine.images().inspectImage(archive.imageId()).isPresent());
    byte[] saved;
    try (InputStream in = engine.images().saveImage(archive.imageId())) {
      saved = in.readAllBytes();
    }
    assertEquals(0, saved.length % 512);
    assertArrayEquals(new byte[1024], Arrays.copyOfRange(saved, saved.length - 1024, saved.length),
        "a complete save ends with the tar end-of-archive marker");
    boolean sawConfig = false;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(saved))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        sawConfig |= e.getName().contains(archive.imageId().substring("sha256:".length()));
      }
    }
    assertTrue(sawConfig, "the saved archive holds the image's config");
  }

  @Test
  void aTruncatedArchiveIsRefusedWithTheEnginesMessage() throws Exception {
    byte[] whole = Files.readAllBytes(archive.file());
    Path cut = Files.write(dir.resolve("cut.tar"), Arrays.copyOf(whole, 512 * 5 + 100));
    EngineRefusedException e = assertThrows(EngineRefusedException.class, () -> engine.images().loadImage(cut));
    assertTrue(e.engineMessage().contains("unexpected EOF"), e.engineMessage());
    assertEquals("docker load refused the archive: " + e.engineMessage(), e.getMessage());
    assertFalse(e.engineMessage().contains("\n"));
    assertFalse(engine.images().inspectImage(archive.imageId()).isPresent(), "nothing was loaded");
    assertTrue(invariants(cut).contains(Invariant.ARCHIVE_TAR), "the validator refuses it too: " + invariants(cut));
  }

  @Test
  void aLayerThatDoesNotMatchItsDigestIsRefusedWithTheEnginesMessage() throws Exception {
    byte[] bytes = Files.readAllBytes(archive.file());
    int at = indexOf(bytes, "hello ".getBytes(StandardCharsets.US_ASCII));
    bytes[at] = 'j';
    Path tampered = Files.write(dir.resolve("tampered.tar"), bytes);
    EngineRefusedException e = assertThrows(EngineRefusedException.class, () -> engine.images().loadImage(tampered));
    assertTrue(e.engineMessage().contains("invalid diffID for layer 0"), e.engineMessage());
    assertTrue(e.engineMessage().contains(archive.diffId()), "the engine names the digest it expected: " + e);
    assertFalse(engine.images().inspectImage(archive.imageId()).isPresent());
    assertEquals(List.of(Invariant.DIFF_ID), invariants(tampered), "the validator names the same fault");
  }

  @Test
  void bytesThatAreNoArchiveAreRefused() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.tar"), "this is not a tar file\n");
    EngineRefusedException e = assertThrows(EngineRefusedException.class, () -> engine.images().loadImage(garbage));
    assertFalse(e.engineMessage().isBlank(), e.toString());
    assertTrue(invariants(garbage).contains(Invariant.ARCHIVE_TAR), "the validator refuses it too");
  }

  /** What {@link DockerArchiveValidator} finds wrong with an archive: it and the engine must agree. */
  private static List<Invariant> invariants(Path archive) throws IOException {
    return new DockerArchiveValidator().findings(archive).stream().map(ArtifactFinding::invariant).toList();
  }

  @Test
  void saveOfAMissingImageFailsAtOnce() {
    EngineException e = assertThrows(EngineException.class, () -> engine.images().saveImage(archive.imageId()).close());
    assertTrue(e.getMessage().startsWith("saving image " + archive.imageId() + " failed: "), e.getMessage());
  }

  @Test
  void execReportsTheEnginesExitCodeAndTheOutputBytesAsTheyCame() throws Exception {
    String id = engine.containers().createContainer(new ContainerSpec(SHELL_IMAGE, List.of("sleep", "600"), Map.of(),
        List.of(), LABELS));
    try {
      engine.containers().startContainer(id);
      ExecResult r = engine.containers().exec(id, List.of("sh", "-c", "printf 'a\\377b'; printf 'err' >&2; exit 3"),
          Duration.ofSeconds(60));
      assertEquals(3, r.exitCode(), r.outputText());
      assertFalse(r.timedOut());
      byte[] out = r.output();
      // stdout and stderr interleave in arrival order; the 0xff byte is kept as a byte
      assertTrue(Arrays.equals(new byte[] {'a', (byte) 0xff, 'b', 'e', 'r', 'r'}, out)
          || Arrays.equals(new byte[] {'e', 'r', 'r', 'a', (byte) 0xff, 'b'}, out), Arrays.toString(out));

      ExecResult missing = engine.containers().exec(id, List.of("no-such-program"), Duration.ofSeconds(60));
      assertTrue(missing.exitCode() == 126 || missing.exitCode() == 127, "exit " + missing.exitCode());
      assertFalse(missing.timedOut());

      ExecResult slow = engine.containers().exec(id, List.of("sleep", "600"), Duration.ofSeconds(1));
      assertTrue(slow.timedOut());
      assertEquals(-1, slow.exitCode());

      ExecResult background = engine.containers().exec(id, List.of("sh", "-c", "sleep 600 >/dev/null 2>&1 & exit 5"),
          Duration.ofSeconds(60));
      assertEquals(5, background.exitCode(), "a child that outlives the command does not hide its exit code");
    } finally {
      engine.containers().removeContainer(id);
    }
  }

  @Test
  void execInAStoppedContainerFailsWithTheEnginesMessage() {
    String id = engine.containers().createContainer(new ContainerSpec(SHELL_IMAGE, List.of("true"), Map.of(), List.of(),
        LABELS));
    try {
      EngineException e = assertThrows(EngineException.class,
          () -> engine.containers().exec(id, List.of("true"), Duration.ofSeconds(10)));
      assertTrue(e.getMessage().contains("is not running"), e.getMessage());
    } finally {
      engine.containers().removeContainer(id);
    }
  }

  @Test
  void logTailDecodesTheWholeStreamAndKeepsTheLastLines() throws Exception {
    String id = engine.containers().createContainer(new ContainerSpec(SHELL_IMAGE,
        List.of("sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; printf 'caf\\303\\251\\n'; echo done;"
            + " exec sleep 600"), Map.of(), List.of(), LABELS));
    try {
      engine.containers().startContainer(id);
      // the engine writes a container's log asynchronously: read it until the last line is in
      List<String> tail = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> engine.containers().logTail(id, 3), t -> t.contains("done"));
      assertEquals(List.of("line 5", "caf\u00e9", "done"), tail);
    } finally {
      engine.containers().removeContainer(id);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  /** A one-file docker-archive written by hand: the smallest thing the engine loads. */
  private record Archive(Path file, String imageId, String diffId) {

    static Archive write(Path file, String content) throws IOException {
      byte[] layer = tar(List.of(new Entry("hello.txt", content.getBytes(StandardCharsets.UTF_8))));
      String diffId = "sha256:" + sha256(layer);
      String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
      byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
      String configHex = sha256(config);
      byte[] manifest = ("[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":null,\"Layers\":[\"layer/layer.tar\"]}]")
          .getBytes(StandardCharsets.UTF_8);
      Files.write(file, tar(List.of(new Entry(configHex + ".json", config), new Entry("layer/layer.tar", layer),
          new Entry("manifest.json", manifest))));
      return new Archive(file, "sha256:" + configHex, diffId);
    }

    private record Entry(String name, byte[] data) {}

    private static byte[] tar(List<Entry> entries) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        for (Entry e : entries) {
          TarArchiveEntry entry = new TarArchiveEntry(e.name());
          entry.setSize(e.data().length);
          entry.setModTime(0);
          tar.putArchiveEntry(entry);
          tar.write(e.data());
          tar.closeArchiveEntry();
        }
      }
      return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
