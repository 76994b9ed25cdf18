package io.minify.pack;

import io.minify.digest.Digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.image.ImageReference;
import io.minify.pack.ArtifactFinding.Invariant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per invariant: a good layout, then each corrupted in one way, with the finding that names it. */
class OciLayoutValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private final OciLayoutValidator validator = new OciLayoutValidator();
  private byte[] layerTar;
  private LayerBlob layer;
  private byte[] config;
  private OciLayout good;

  @BeforeEach
  void setUp() throws Exception {
    layerTar = DockerArchiveValidatorTest.layerTar();
    layer = DockerArchiveValidatorTest.layerBlob(tmp, layerTar);
    config = new DockerArchiveWriter().rewriteConfig(DockerArchiveWriterTest.resource("original-config.json"), layer,
        c -> c);
    good = new OciLayoutWriter().write(config, layer, Optional.of(ImageReference.parse("app.slim:1.0")),
        tmp.resolve("good"));
  }

  @Test
  void whatTheWriterWritesIsValid() throws Exception {
    assertEquals(List.of(), validator.findings(good.directory()));
    assertEquals(List.of(), validator.findings(good));
    validator.requireValid(good);
    OciLayout untagged = new OciLayoutWriter().write(config, layer, Optional.empty(), tmp.resolve("untagged"));
    validator.requireValid(untagged);
  }

  @Test
  void aDiffIdThatIsNotTheLayersDigestIsNamed() throws Exception {
    String other = "sha256:" + "0".repeat(64);
    byte[] wrongConfig = new DockerArchiveWriter().rewriteConfig(DockerArchiveWriterTest.resource(
        "original-config.json"), new LayerBlob(layer.file(), Digest.parse(other), layer.size(), 2, 720), c -> c);
    OciLayout layout = new OciLayoutWriter().write(wrongConfig, layer, Optional.empty(), tmp.resolve("wrong"));
    assertEquals(List.of(new ArtifactFinding(Invariant.DIFF_ID, "config " + layout.configDigest()
        + " rootfs.diff_ids[0]", other, layer.diffId() + " (sha256 of " + blobName(layout.layerDigest())
        + ", uncompressed)")), validator.findings(layout));
  }

  @Test
  void aLayerSizeThatIsNotTheBlobsIsNamed() throws Exception {
    String manifest = rewriteManifest(m -> ((ObjectNode) m.get("layers").get(0)).put("size", good.layerSize() + 1));
    assertEquals(List.of(new ArtifactFinding(Invariant.SIZE, "manifest " + manifest + ".layers[0].size",
        String.valueOf(good.layerSize() + 1), good.layerSize() + " bytes in " + blobName(good.layerDigest()))),
        validator.findings(good.directory()));
  }

  @Test
  void aMissingBlobIsNamed() throws Exception {
    Files.delete(blob(good.layerDigest()));
    assertEquals(List.of(new ArtifactFinding(Invariant.MISSING, "manifest " + good.manifestDigest()
        + ".layers[0].digest", "blob " + blobName(good.layerDigest()), "no such file")),
        validator.findings(good.directory()));
  }

  @Test
  void aTamperedConfigIsNamedByItsDigest() throws Exception {
    byte[] tampered = new String(config, StandardCharsets.UTF_8).replace("\"amd64\"", "\"arm64\"")
        .getBytes(StandardCharsets.UTF_8);
    Files.write(blob(good.configDigest()), tampered);
    assertEquals(List.of(new ArtifactFinding(Invariant.DIGEST, blobName(good.configDigest()), good.configDigest()
        + " (manifest " + good.manifestDigest() + ".config.digest)", Digest.sha256Of(tampered).toString())),
        validator.findings(good.directory()));
  }

  @Test
  void aTamperedManifestIsNamedByItsDigest() throws Exception {
    Path manifest = blob(good.manifestDigest());
    byte[] tampered = (Files.readString(manifest) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(manifest, tampered);
    List<ArtifactFinding> findings = validator.findings(good.directory());
    assertEquals(List.of(
        new ArtifactFinding(Invariant.SIZE, "index.json.manifests[0].size", String.valueOf(tampered.length - 1),
            tampered.length + " bytes in " + blobName(good.manifestDigest())),
        new ArtifactFinding(Invariant.DIGEST, blobName(good.manifestDigest()), good.manifestDigest()
            + " (index.json.manifests[0].digest)", Digest.sha256Of(tampered).toString())), findings);
  }

  @Test
  void aTruncatedLayerIsNamed() throws Exception {
    byte[] gz = Files.readAllBytes(blob(good.layerDigest()));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    String cutDigest = Digest.sha256Of(cut).toString();
    Files.write(blob(cutDigest), cut);
    Files.delete(blob(good.layerDigest()));
    String manifest = rewriteManifest(m -> ((ObjectNode) m.get("layers").get(0)).put("digest", cutDigest)
        .put("size", cut.length));
    assertEquals(List.of(new ArtifactFinding(Invariant.LAYER_TAR, blobName(cutDigest),
        "a tar that reads to its end-of-archive marker",
        "the gzip stream does not decompress: Unexpected end of ZLIB input stream")),
        validator.findings(good.directory()), "manifest " + manifest);
  }

  @Test
  void aLayerThatIsNotGzipAsItsMediaTypeSaysIsNamed() throws Exception {
    String digest = Digest.sha256Of(layerTar).toString();
    Files.write(blob(digest), layerTar);
    Files.delete(blob(good.layerDigest()));
    rewriteManifest(m -> ((ObjectNode) m.get("layers").get(0)).put("digest", digest).put("size", layerTar.length));
    assertEquals(List.of(new ArtifactFinding(Invariant.LAYER_TAR, blobName(digest),
        "a tar that reads to its end-of-archive marker", "the gzip stream does not decompress: Not in GZIP format")),
        validator.findings(good.directory()));
  }

  @Test
  void anUncompressedLayerOfTheTarTypeIsValid() throws Exception {
    String digest = Digest.sha256Of(layerTar).toString();
    Files.write(blob(digest), layerTar);
    Files.delete(blob(good.layerDigest()));
    rewriteManifest(m -> ((ObjectNode) m.get("layers").get(0)).put("digest", digest).put("size", layerTar.length)
        .put("mediaType", "application/vnd.oci.image.layer.v1.tar"));
    assertEquals(List.of(), validator.findings(good.directory()));
  }

  @Test
  void aLayerMediaTypeMinifyCannotReadIsNamed() throws Exception {
    String manifest = rewriteManifest(m -> ((ObjectNode) m.get("layers").get(0)).put("mediaType",
        "application/vnd.oci.image.layer.v1.tar+zstd"));
    assertEquals(List.of(new ArtifactFinding(Invariant.MEDIA_TYPE, "manifest " + manifest + ".layers[0].mediaType",
        "application/vnd.oci.image.layer.v1.tar or application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd")), validator.findings(good.directory()));
  }

  @Test
  void aConfigMediaTypeThatIsNotTheConfigsIsNamed() throws Exception {
    String manifest = rewriteManifest(m -> ((ObjectNode) m.get("config")).put("mediaType",
        OciLayoutWriter.LAYER_TYPE));
    assertEquals(List.of(new ArtifactFinding(Invariant.MEDIA_TYPE, "manifest " + manifest + ".config.mediaType",
        OciLayoutWriter.CONFIG_TYPE, OciLayoutWriter.LAYER_TYPE)), validator.findings(good.directory()));
  }

  @Test
  void moreLayersThanDiffIdsIsNamed() throws Exception {
    String manifest = rewriteManifest(m -> ((ArrayNode) m.get("layers")).add(m.get("layers").get(0).deepCopy()));
    assertEquals(List.of(new ArtifactFinding(Invariant.LAYER_COUNT, "manifest " + manifest + ".layers",
        "1 layer(s), as config " + good.configDigest() + " rootfs.diff_ids lists", "2 layer(s)")),
        validator.findings(good.directory()));
  }

  @Test
  void aWrongLayoutVersionIsNamed() throws Exception {
    Files.writeString(good.directory().resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    assertEquals(List.of(new ArtifactFinding(Invariant.LAYOUT_VERSION, "oci-layout.imageLayoutVersion", "1.0.0",
        "2.0.0")), validator.findings(good.directory()));
  }

  @Test
  void aMissingIndexIsNamed() throws Exception {
    Files.delete(good.directory().resolve("index.json"));
    assertEquals(List.of(new ArtifactFinding(Invariant.MISSING, "index.json", "a file", "no such file")),
        validator.findings(good.directory()));
  }

  @Test
  void anIndexWithoutSchemaVersionIsNamed() throws Exception {
    ObjectNode index = (ObjectNode) JSON.readTree(good.directory().resolve("index.json").toFile());
    index.remove("schemaVersion");
    Files.write(good.directory().resolve("index.json"), JSON.writeValueAsBytes(index));
    assertEquals(List.of(new ArtifactFinding(Invariant.MALFORMED, "index.json.schemaVersion", "2", "nothing")),
        validator.findings(good.directory()));
  }

  @Test
  void aFileInBlobsNotNamedByADigestIsNamed() throws Exception {
    Files.writeString(good.directory().resolve("blobs/sha256/layer-1.partial"), "half");
    assertEquals(List.of(new ArtifactFinding(Invariant.BLOB_NAME, "blobs/sha256/layer-1.partial", "64 hex digits",
        "'layer-1.partial'")), validator.findings(good.directory()));
  }

  @Test
  void aRefNameNotInNormalFormIsNamed() throws Exception {
    ObjectNode index = (ObjectNode) JSON.readTree(good.directory().resolve("index.json").toFile());
    ((ObjectNode) index.get("manifests").get(0).get("annotations")).put(OciLayoutWriter.REF_NAME, "app.slim");
    Files.write(good.directory().resolve("index.json"), JSON.writeValueAsBytes(index));
    assertEquals(List.of(new ArtifactFinding(Invariant.REFERENCE, "index.json.manifests[0].annotations["
        + OciLayoutWriter.REF_NAME + "]", "'app.slim:latest'", "'app.slim'")), validator.findings(good.directory()));
  }

  @Test
  void whatTheWriterReturnedMustBeWhatItWrote() throws Exception {
    OciLayout wrong = new OciLayout(good.directory(), good.manifestDigest(), good.configDigest(),
        good.layerDigest(), good.layerSize() - 1);
    List<ArtifactFinding> findings = validator.findings(wrong);
    assertEquals(List.of(new ArtifactFinding(Invariant.WRITER_RECORD, "OciLayout.layerSize", good.layerSize()
        + " (in the layout)", String.valueOf(good.layerSize() - 1))), findings);
    InvalidArtifactException e = assertThrows(InvalidArtifactException.class, () -> validator.requireValid(wrong));
    assertEquals("OCI layout " + good.directory() + " is not a valid image artifact (1 finding):\n  "
        + findings.get(0), e.getMessage());
  }

  private static String blobName(Object digest) {
    return "blobs/sha256/" + digest.toString().substring("sha256:".length());
  }

  private Path blob(Object digest) {
    return good.directory().resolve(blobName(digest));
  }

  /** Changes the manifest, stores it under its new digest and points the index at it; returns that digest. */
  private String rewriteManifest(Consumer<ObjectNode> change) throws Exception {
    ObjectNode manifest = (ObjectNode) JSON.readTree(blob(good.manifestDigest()).toFile());
    change.accept(manifest);
    byte[] bytes = JSON.writeValueAsBytes(manifest);
    String digest = Digest.sha256Of(bytes).toString();
    Files.delete(blob(good.manifestDigest()));
    Files.write(blob(digest), bytes);
    Path indexFile = good.directory().resolve("index.json");
    ObjectNode index = (ObjectNode) JSON.readTree(indexFile.toFile());
    ((ObjectNode) index.get("manifests").get(0)).put("digest", digest).put("size", bytes.length);
    Files.write(indexFile, JSON.writeValueAsBytes(index));
    return digest;
  }
}
