package io.minify.pack;

import io.minify.digest.Digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.image.ImageReference;
import io.minify.pack.ArtifactFinding.Invariant;
import io.minify.tar.SmallTar;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per invariant: a good archive, then each corrupted in one way, with the finding that names it. */
class DockerArchiveValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private final DockerArchiveValidator validator = new DockerArchiveValidator();
  private byte[] layerTar;
  private DockerArchive good;
  private String configName;
  private String layerName;

  /** A layer tar of two members, as {@link LayerTarWriter} would write one. */
  static byte[] layerTar() {
    return SmallTar.of(List.of(SmallTar.directory("srv/", 0755),
        SmallTar.file("srv/app.txt", 0644, "served by the app\n".repeat(40).getBytes(StandardCharsets.UTF_8))));
  }

  static LayerBlob layerBlob(Path dir, byte[] tar) throws Exception {
    Path file = Files.write(dir.resolve("layer-" + Digest.sha256Of(tar).hex() + ".tar"), tar);
    return new LayerBlob(file, Digest.sha256Of(tar), tar.length, 2, 720);
  }

  @BeforeEach
  void setUp() throws Exception {
    layerTar = layerTar();
    good = new DockerArchiveWriter().write(DockerArchiveWriterTest.resource("original-config.json"),
        layerBlob(tmp, layerTar), Optional.of(ImageReference.parse("app.slim:1.0")), tmp.resolve("good.tar"));
    configName = good.imageId().hex() + ".json";
    layerName = Digest.sha256Of(layerTar).hex() + "/layer.tar";
  }

  @Test
  void whatTheWriterWritesIsValid() throws Exception {
    assertEquals(List.of(), validator.findings(good.file()));
    assertEquals(List.of(), validator.findings(good));
    validator.requireValid(good);
  }

  @Test
  void anUntaggedArchiveWithAGzipLayerIsValid() throws Exception {
    Map<String, byte[]> members = members(good.file());
    members.put(layerName, gzip(layerTar));
    ArrayNode manifest = manifest(members);
    ((ObjectNode) manifest.get(0)).putArray("RepoTags");
    members.put("manifest.json", JSON.writeValueAsBytes(manifest));
    assertEquals(List.of(), validator.findings(archive(members)));
  }

  @Test
  void aDiffIdThatIsNotTheLayersDigestIsNamed() throws Exception {
    String other = "sha256:" + "0".repeat(64);
    Map<String, byte[]> members = withConfig(members(good.file()), config -> ((ObjectNode) config.get("rootfs"))
        .putArray("diff_ids").add(other));
    String name = manifest(members).get(0).get("Config").asText();
    assertEquals(List.of(new ArtifactFinding(Invariant.DIFF_ID, "config " + name + " rootfs.diff_ids[0]", other,
        Digest.sha256Of(layerTar) + " (sha256 of " + layerName + ", uncompressed)")),
        validator.findings(archive(members)));
  }

  @Test
  void aConfigWhoseBytesAreNotItsNameIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    byte[] tampered = (new String(members.get(configName), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
    members.put(configName, tampered);
    assertEquals(List.of(new ArtifactFinding(Invariant.DIGEST, configName, good.imageId() + " (its name)",
        Digest.sha256Of(tampered).toString())), validator.findings(archive(members)));
  }

  @Test
  void aConfigNotNamedByItsDigestIsNamed() throws Exception {
    Map<String, byte[]> members = renamed(members(good.file()), configName, "config.json");
    ArrayNode manifest = manifest(members);
    ((ObjectNode) manifest.get(0)).put("Config", "config.json");
    members.put("manifest.json", JSON.writeValueAsBytes(manifest));
    assertEquals(List.of(new ArtifactFinding(Invariant.BLOB_NAME, "manifest.json[0].Config",
        "<sha256 hex>.json or blobs/sha256/<hex>", "'config.json'")), validator.findings(archive(members)));
  }

  @Test
  void aMissingLayerIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    members.remove(layerName);
    assertEquals(List.of(new ArtifactFinding(Invariant.MISSING, "manifest.json[0].Layers[0]", "member '" + layerName
        + "'", "no such member")), validator.findings(archive(members)));
  }

  @Test
  void aMissingManifestIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    members.remove("manifest.json");
    assertEquals(List.of(new ArtifactFinding(Invariant.MISSING, "manifest.json", "member 'manifest.json'",
        "no such member")), validator.findings(archive(members)));
  }

  @Test
  void aManifestThatIsNotJsonIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    members.put("manifest.json", "[{\"Config\":".getBytes(StandardCharsets.UTF_8));
    List<ArtifactFinding> findings = validator.findings(archive(members));
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(Invariant.MALFORMED, findings.get(0).invariant());
    assertEquals("manifest.json", findings.get(0).where());
    assertTrue(findings.get(0).found().startsWith("not JSON: Unexpected end-of-input"), findings.toString());
  }

  @Test
  void aLayerCutShortInsideAMemberIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    byte[] cut = Arrays.copyOf(layerTar, 2 * 512 + 100); // the directory, the file's header, part of its data
    members.put(layerName, cut);
    assertEquals(List.of(
        new ArtifactFinding(Invariant.LAYER_TAR, layerName, "a tar that reads to its end-of-archive marker",
            "the archive ends inside a member's data"),
        new ArtifactFinding(Invariant.DIFF_ID, "config " + configName + " rootfs.diff_ids[0]",
            Digest.sha256Of(layerTar).toString(), Digest.sha256Of(cut) + " (sha256 of " + layerName
                + ", uncompressed)")),
        validator.findings(archive(members)));
  }

  @Test
  void aLayerWithoutItsEndMarkerIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    byte[] cut = Arrays.copyOf(layerTar, layerTar.length - 1024); // the members whole, the two zero blocks gone
    members.put(layerName, cut);
    List<ArtifactFinding> findings = validator.findings(archive(members));
    assertEquals(new ArtifactFinding(Invariant.LAYER_TAR, layerName, "a tar that reads to its end-of-archive marker",
        "no end-of-archive marker (two zero blocks) after the last member, which ends at byte " + cut.length + " of "
            + cut.length), findings.get(0));
    assertEquals(List.of(Invariant.LAYER_TAR, Invariant.DIFF_ID), findings.stream().map(ArtifactFinding::invariant)
        .toList());
  }

  @Test
  void aLayerWithOneZeroBlockThenDataIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    byte[] broken = layerTar.clone();
    broken[layerTar.length - 100] = 'x'; // inside the second zero block
    members.put(layerName, broken);
    List<ArtifactFinding> findings = validator.findings(archive(members));
    assertEquals(Invariant.LAYER_TAR, findings.get(0).invariant(), findings.toString());
    assertTrue(findings.get(0).found().startsWith("no end-of-archive marker"), findings.toString());
  }

  @Test
  void moreLayersThanDiffIdsIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    ArrayNode manifest = manifest(members);
    ((ArrayNode) manifest.get(0).get("Layers")).add(layerName);
    members.put("manifest.json", JSON.writeValueAsBytes(manifest));
    assertEquals(List.of(new ArtifactFinding(Invariant.LAYER_COUNT, "manifest.json[0].Layers",
        "1 layer(s), as config " + configName + " rootfs.diff_ids lists", "2 layer(s)")),
        validator.findings(archive(members)));
  }

  @Test
  void aHistoryThatMadeNoLayerIsNamed() throws Exception {
    Map<String, byte[]> members = withConfig(members(good.file()), config -> {
      ArrayNode history = (ArrayNode) config.get("history");
      history.remove(history.size() - 1); // the "minify build" step, the one that made the layer
    });
    String name = manifest(members).get(0).get("Config").asText();
    assertEquals(List.of(new ArtifactFinding(Invariant.HISTORY, "config " + name + " history",
        "1 step(s) without empty_layer, one per rootfs.diff_ids entry", "0 of 3")),
        validator.findings(archive(members)));
  }

  @Test
  void aRepoTagNotInNormalFormIsNamed() throws Exception {
    Map<String, byte[]> members = members(good.file());
    ArrayNode manifest = manifest(members);
    ((ObjectNode) manifest.get(0)).putArray("RepoTags").add("app.slim").add("App:1");
    members.put("manifest.json", JSON.writeValueAsBytes(manifest));
    List<ArtifactFinding> findings = validator.findings(archive(members));
    assertEquals(List.of(new ArtifactFinding(Invariant.REFERENCE, "manifest.json[0].RepoTags[0]",
        "'app.slim:latest'", "'app.slim'"), new ArtifactFinding(Invariant.REFERENCE, "manifest.json[0].RepoTags[1]",
        "repository:tag", "'App:1' ('App' is not a valid image repository name (lower-case letters, digits, '.',"
            + " '_', '-', '/'))")), findings);
  }

  @Test
  void anArchiveCutShortIsNamed() throws Exception {
    byte[] bytes = Files.readAllBytes(good.file());
    Path cut = Files.write(tmp.resolve("cut.tar"), Arrays.copyOf(bytes, bytes.length - 1024));
    assertEquals(List.of(new ArtifactFinding(Invariant.ARCHIVE_TAR, "cut.tar",
        "a tar that reads to its end-of-archive marker", "no end-of-archive marker (two zero blocks) after the last"
            + " member, which ends at byte " + (bytes.length - 1024) + " of " + (bytes.length - 1024))),
        validator.findings(cut));
  }

  @Test
  void aFileThatIsNoArchiveIsNamed() throws Exception {
    assertEquals(List.of(new ArtifactFinding(Invariant.MISSING, tmp.resolve("none.tar").toString(),
        "a docker-archive file", "no such file")), validator.findings(tmp.resolve("none.tar")));
  }

  @Test
  void whatTheWriterReturnedMustBeWhatItWrote() throws Exception {
    DockerArchive wrong = new DockerArchive(good.file(), Digest.parse("sha256:" + "1".repeat(64)), good.config(),
        List.of("app.slim:2.0"));
    List<ArtifactFinding> findings = validator.findings(wrong);
    assertEquals(List.of(
        new ArtifactFinding(Invariant.WRITER_RECORD, "DockerArchive.imageId", good.imageId()
            + " (sha256 of the archive's config)", "sha256:" + "1".repeat(64)),
        new ArtifactFinding(Invariant.WRITER_RECORD, "DockerArchive.repoTags", "[app.slim:1.0]"
            + " (manifest.json[0].RepoTags)", "[app.slim:2.0]")), findings);
    InvalidArtifactException e = assertThrows(InvalidArtifactException.class, () -> validator.requireValid(wrong));
    assertEquals(findings, e.findings());
    assertEquals("docker-archive " + good.file() + " is not a valid image artifact (2 findings):\n  "
        + findings.get(0) + "\n  " + findings.get(1), e.getMessage());
  }

  /** The archive's members in order, by name; directories map to null. */
  static Map<String, byte[]> members(Path archive) throws Exception {
    Map<String, byte[]> members = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        members.put(entry.getName(), entry.isDirectory() ? null : tar.readAllBytes());
      }
    }
    return members;
  }

  private Path archive(Map<String, byte[]> members) throws Exception {
    List<SmallTar.Entry> entries = new ArrayList<>();
    members.forEach((name, content) -> entries.add(content == null ? SmallTar.directory(name, 0755)
        : SmallTar.file(name, 0644, content)));
    return Files.write(Files.createTempFile(tmp, "corrupt-", ".tar"), SmallTar.of(entries));
  }

  private static ArrayNode manifest(Map<String, byte[]> members) throws Exception {
    return (ArrayNode) JSON.readTree(members.get("manifest.json"));
  }

  private static Map<String, byte[]> renamed(Map<String, byte[]> members, String from, String to) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    members.forEach((name, content) -> out.put(name.equals(from) ? to : name, content));
    return out;
  }

  /** The members with the config changed, stored under its new digest, the manifest naming it. */
  private Map<String, byte[]> withConfig(Map<String, byte[]> members, java.util.function.Consumer<ObjectNode> change)
      throws Exception {
    ObjectNode config = (ObjectNode) JSON.readTree(members.get(configName));
    change.accept(config);
    byte[] bytes = JSON.writeValueAsBytes(config);
    String name = Digest.sha256Of(bytes).hex() + ".json";
    Map<String, byte[]> out = renamed(members, configName, name);
    out.put(name, bytes);
    ArrayNode manifest = manifest(out);
    ((ObjectNode) manifest.get(0)).put("Config", name);
    out.put("manifest.json", JSON.writeValueAsBytes(manifest));
    return out;
  }

  static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
