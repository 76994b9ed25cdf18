package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.image.ImageReference;
import io.minify.tar.SmallTar;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveWriterTest {
  @TempDir
  Path tmp;

  private byte[] originalConfig;
  private LayerBlob layer;
  private final DockerArchiveWriter writer = new DockerArchiveWriter();
  private final DockerArchiveValidator validator = new DockerArchiveValidator();

  static byte[] resource(String name) throws IOException {
    try (InputStream in = DockerArchiveWriterTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  static String golden(String name) throws IOException {
    return new String(resource(name), StandardCharsets.UTF_8).strip();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @BeforeEach
  void setUp() throws Exception {
    originalConfig = resource("original-config.json");
    // a real tar, so each archive written here can be validated whole
    byte[] layerBytes = SmallTar.of(List.of(SmallTar.file("pretend", 0644,
        "pretend this is a layer tar".getBytes(StandardCharsets.UTF_8))));
    Path layerFile = Files.write(tmp.resolve("layer.tar"), layerBytes);
    layer = new LayerBlob(layerFile, Digest.sha256Of(layerBytes), layerBytes.length, 3, 42);
  }

  /** Archive entries by name, in archive order, with their content. */
  private static Map<String, byte[]> readArchive(Path archive) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        assertEquals(0, entry.getLastModifiedTime().toMillis(), entry.getName());
        assertEquals(0, entry.getLongUserId());
        assertEquals("", entry.getUserName());
        entries.put(entry.getName(), tar.readAllBytes());
      }
    }
    return entries;
  }

  @Test
  void configAndManifestMatchGoldenFiles() throws Exception {
    DockerArchive archive = writer.write(originalConfig, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("out.tar"));
    validator.requireValid(archive);
    Map<String, byte[]> entries = readArchive(archive.file());
    String configHex = sha256(archive.config());
    String layerHex = layer.diffId().hex();

    List<String> expectedNames = new ArrayList<>(
        List.of(configHex + ".json", layerHex + "/", layerHex + "/layer.tar", "manifest.json"));
    expectedNames.sort(null); // entries are in name order
    assertEquals(expectedNames, new ArrayList<>(entries.keySet()));

    assertEquals(golden("expected-config.json"), new String(entries.get(configHex + ".json"), StandardCharsets.UTF_8));
    assertEquals(golden("expected-manifest.json"),
        new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
    assertArrayEquals(Files.readAllBytes(layer.file()), entries.get(layerHex + "/layer.tar"));
    assertEquals("sha256:" + configHex, archive.imageId().toString());
    assertEquals(List.of("app.slim:1.0"), archive.repoTags());
  }

  /**
   * The whole archive's bytes, pinned: the layer is copied into it by the kernel, past the tar
   * writer, and must land where the writer's own copy did (digest of the archive the writer made
   * when it still copied through the JVM).
   */
  @Test
  void theArchivesBytesArePinned() throws Exception {
    DockerArchive archive = writer.write(originalConfig, layer, Optional.of(ImageReference.parse("app.slim:1.0")),
        tmp.resolve("pinned.tar"));
    assertEquals("463f73cf2feb0f6f9c17e3b6f0026742fb605ed408f696cf24d2a375b8e93a25", sha256(Files.readAllBytes(archive.file())));
  }

  @Test
  void sameInputsGiveIdenticalBytes() throws Exception {
    DockerArchive first = writer.write(originalConfig, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("a.tar"));
    DockerArchive second = new DockerArchiveWriter().write(originalConfig, layer, Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("b.tar"));
    validator.requireValid(first);
    assertArrayEquals(Files.readAllBytes(first.file()), Files.readAllBytes(second.file()));
    assertEquals(first.imageId(), second.imageId());
  }

  @Test
  void configMutationIsAppliedBeforeHashing() throws Exception {
    DockerArchive plain = writer.write(originalConfig, layer, Optional.empty(), tmp.resolve("plain.tar"));
    DockerArchive labelled = writer.write(originalConfig, layer, Optional.empty(),
        config -> {
          config.withObject("config").withObject("Labels").put("io.minify.slim", "true");
          return config;
        },
        tmp.resolve("labelled.tar"));
    validator.requireValid(plain);
    validator.requireValid(labelled);
    assertNotEquals(plain.imageId(), labelled.imageId());
    assertEquals("sha256:" + sha256(labelled.config()), labelled.imageId().toString());
    String json = new String(labelled.config(), StandardCharsets.UTF_8);
    assertEquals(true, json.contains("\"Labels\":{\"org.opencontainers.image.title\":\"demo\",\"io.minify.slim\":\"true\"}"));
    String manifest = new String(readArchive(labelled.file()).get("manifest.json"), StandardCharsets.UTF_8);
    assertEquals(true, manifest.contains("\"RepoTags\":[]"), manifest);
  }

  @Test
  void rejectsNonObjectConfigsAndBadDiffIds() {
    var notObject = assertThrows(IllegalArgumentException.class,
        () -> writer.rewriteConfig("[1]".getBytes(StandardCharsets.UTF_8), layer, c -> c));
    assertEquals("original image config is not a JSON object", notObject.getMessage());
    // a layer whose diff id is no digest cannot be made
    var badId = assertThrows(IllegalArgumentException.class,
        () -> new LayerBlob(layer.file(), Digest.parse("sha256:xyz"), layer.size(), 1, 1));
    assertEquals("'sha256:xyz' is not sha256:<64 hex digits>", badId.getMessage());
  }
}
