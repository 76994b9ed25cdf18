package io.minify.pack;

import io.minify.digest.Digest;
import com.fasterxml.jackson.databind.JsonNode;
import io.minify.pack.ArtifactFinding.Invariant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that an OCI image layout (what {@link OciLayoutWriter} writes) agrees with itself:
 * {@code oci-layout} says version 1.0.0, {@code index.json} and each manifest are well-formed
 * with the media types of their places, every descriptor's blob exists with the descriptor's
 * size and sha256, every file in {@code blobs/sha256/} is named by a digest, the config's
 * {@code rootfs.diff_ids} are the sha256 of each layer uncompressed, as many layers as diff
 * ids and as history steps that made one, ref names in normal form, and each layer a tar to
 * its end marker.
 *
 * <p>Every finding is collected, not only the first; see {@link ArtifactFinding}.
 */
public final class OciLayoutValidator {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final String LAYOUT_VERSION = "1.0.0";
  /** The layer media types minify reads and writes, with whether the blob is gzip. */
  private static final Map<String, TarBlobScan.Compression> LAYER_TYPES = Map.of(
      OciLayoutWriter.LAYER_TYPE, TarBlobScan.Compression.GZIP,
      "application/vnd.oci.image.layer.v1.tar", TarBlobScan.Compression.NONE);

  /** A descriptor whose digest has the one form minify writes. */
  private record Descriptor(String mediaType, String digest, long size, String where) {
    String hex() {
      return digest.substring("sha256:".length());
    }
  }

  /** What one manifest of the index named, for comparing with what the writer returned. */
  private record ManifestRead(String digest, Optional<String> configDigest, List<Descriptor> layers) {}

  private record Walk(List<ArtifactFinding> findings, List<ManifestRead> manifests) {}

  /** Everything {@code layoutDir} gets wrong; empty when it is valid. */
  public List<ArtifactFinding> findings(Path layoutDir) throws IOException {
    return walk(layoutDir).findings();
  }

  /** {@link #findings(Path)} of the layout's directory, and whether it is what {@code written} says it is. */
  public List<ArtifactFinding> findings(OciLayout written) throws IOException {
    Walk walk = walk(written.directory());
    List<ArtifactFinding> findings = new ArrayList<>(walk.findings());
    List<ManifestRead> manifests = walk.manifests();
    if (manifests.size() != 1) {
      findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, "index.json manifests", "1 manifest",
          manifests.size() + " read"));
      return List.copyOf(findings);
    }
    ManifestRead manifest = manifests.get(0);
    record(findings, "OciLayout.manifestDigest", manifest.digest(), written.manifestDigest().toString());
    manifest.configDigest().ifPresent(d -> record(findings, "OciLayout.configDigest", d, written.configDigest().toString()));
    if (manifest.layers().size() != 1) {
      findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, "manifest layers", "1 layer",
          manifest.layers().size() + " layers"));
    } else {
      Descriptor layer = manifest.layers().get(0);
      record(findings, "OciLayout.layerDigest", layer.digest(), written.layerDigest().toString());
      record(findings, "OciLayout.layerSize", String.valueOf(layer.size()), String.valueOf(written.layerSize()));
    }
    return List.copyOf(findings);
  }

  /** @throws InvalidArtifactException naming every finding, when there is one */
  public void requireValid(Path layoutDir) throws IOException {
    InvalidArtifactException.throwIfAny("OCI layout " + layoutDir, findings(layoutDir));
  }

  /** @throws InvalidArtifactException naming every finding, when there is one */
  public void requireValid(OciLayout written) throws IOException {
    InvalidArtifactException.throwIfAny("OCI layout " + written.directory(), findings(written));
  }

  private static void record(List<ArtifactFinding> findings, String field, String inLayout, String recorded) {
    if (!inLayout.equals(recorded)) {
      findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, field, inLayout + " (in the layout)", recorded));
    }
  }

  private Walk walk(Path dir) throws IOException {
    ArtifactChecks checks = new ArtifactChecks();
    List<ManifestRead> manifests = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      checks.add(Invariant.MISSING, dir.toString(), "an OCI layout directory", "no such directory");
      return new Walk(checks.findings(), manifests);
    }
    layoutVersion(dir, checks);
    Path blobs = dir.resolve("blobs").resolve("sha256");
    if (!Files.isDirectory(blobs)) {
      checks.add(Invariant.MISSING, "blobs/sha256", "a directory", "none");
    } else {
      try (Stream<Path> files = Files.list(blobs)) {
        // a blob is named by its digest: anything else (a ".partial" left behind) is no blob
        files.map(f -> f.getFileName().toString()).filter(name -> !HEX.matcher(name).matches()).sorted()
            .forEach(name -> checks.add(Invariant.BLOB_NAME, "blobs/sha256/" + name, "64 hex digits", "'" + name
                + "'"));
      }
    }
    Optional<JsonNode> index = file(dir.resolve("index.json"), "index.json", checks)
        .flatMap(bytes -> checks.parse(bytes, "index.json")).flatMap(node -> checks.object(node, "index.json"));
    if (index.isEmpty()) {
      return new Walk(checks.findings(), manifests);
    }
    checks.schemaVersion2(index.get(), "index.json");
    mediaTypeIfPresent(index.get(), OciLayoutWriter.INDEX_TYPE, "index.json", checks);
    Optional<JsonNode> entries = checks.array(index.get(), "manifests", "index.json");
    if (entries.isEmpty()) {
      return new Walk(checks.findings(), manifests);
    }
    if (entries.get().isEmpty()) {
      checks.add(Invariant.MALFORMED, "index.json.manifests", "at least one manifest", "none");
    }
    for (int i = 0; i < entries.get().size(); i++) {
      String at = "index.json.manifests[" + i + "]";
      Optional<Descriptor> d = descriptor(entries.get().get(i), at, checks);
      if (d.isEmpty()) {
        continue;
      }
      refName(entries.get().get(i), at, checks);
      if (!d.get().mediaType().equals(OciLayoutWriter.MANIFEST_TYPE)) {
        checks.add(Invariant.MEDIA_TYPE, at + ".mediaType", OciLayoutWriter.MANIFEST_TYPE, d.get().mediaType());
        continue;
      }
      manifest(dir, d.get(), checks).ifPresent(manifests::add);
    }
    return new Walk(checks.findings(), manifests);
  }

  private static void layoutVersion(Path dir, ArtifactChecks checks) throws IOException {
    Optional<JsonNode> layout = file(dir.resolve("oci-layout"), "oci-layout", checks)
        .flatMap(bytes -> checks.parse(bytes, "oci-layout")).flatMap(node -> checks.object(node, "oci-layout"));
    layout.flatMap(l -> checks.text(l, "imageLayoutVersion", "oci-layout"))
        .filter(version -> !version.equals(LAYOUT_VERSION))
        .ifPresent(version -> checks.add(Invariant.LAYOUT_VERSION, "oci-layout.imageLayoutVersion", LAYOUT_VERSION,
            version));
  }

  private Optional<ManifestRead> manifest(Path dir, Descriptor d, ArtifactChecks checks) throws IOException {
    String where = "manifest " + d.digest();
    Optional<JsonNode> manifest = jsonBlob(dir, d, checks).flatMap(node -> checks.object(node, where));
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    checks.schemaVersion2(manifest.get(), where);
    mediaTypeIfPresent(manifest.get(), OciLayoutWriter.MANIFEST_TYPE, where, checks);
    Optional<List<String>> diffIds = Optional.empty();
    Optional<String> configDigest = Optional.empty();
    Optional<Descriptor> config = descriptor(manifest.get().get("config"), where + ".config", checks);
    String configWhere = "config";
    if (config.isPresent()) {
      configDigest = Optional.of(config.get().digest());
      configWhere = "config " + config.get().digest();
      if (!config.get().mediaType().equals(OciLayoutWriter.CONFIG_TYPE)) {
        checks.add(Invariant.MEDIA_TYPE, where + ".config.mediaType", OciLayoutWriter.CONFIG_TYPE,
            config.get().mediaType());
      }
      Optional<byte[]> bytes = blob(dir, config.get(), checks);
      if (bytes.isPresent()) {
        diffIds = checks.diffIds(bytes.get(), configWhere);
      }
    }
    List<Descriptor> layers = new ArrayList<>();
    Optional<JsonNode> layerNodes = checks.array(manifest.get(), "layers", where);
    if (layerNodes.isPresent()) {
      for (int j = 0; j < layerNodes.get().size(); j++) {
        Optional<Descriptor> layer = descriptor(layerNodes.get().get(j), where + ".layers[" + j + "]", checks);
        if (layer.isEmpty()) {
          continue;
        }
        layers.add(layer.get());
        Optional<String> diffId = diffIds.isPresent() && j < diffIds.get().size()
            ? Optional.of(diffIds.get().get(j)) : Optional.empty();
        layer(dir, layer.get(), diffId, configWhere + " rootfs.diff_ids[" + j + "]", checks);
      }
      if (diffIds.isPresent()) {
        checks.layerCount(layerNodes.get().size(), where + ".layers", diffIds.get().size(), configWhere);
      }
    }
    return Optional.of(new ManifestRead(d.digest(), configDigest, layers));
  }

  private static void layer(Path dir, Descriptor d, Optional<String> diffId, String diffIdWhere, ArtifactChecks checks)
      throws IOException {
    TarBlobScan.Compression compression = LAYER_TYPES.get(d.mediaType());
    if (compression == null) {
      checks.add(Invariant.MEDIA_TYPE, d.where() + ".mediaType", String.join(" or ", LAYER_TYPES.keySet().stream()
          .sorted().toList()), d.mediaType());
      return;
    }
    Path file = blobFile(dir, d, checks);
    if (file == null) {
      return;
    }
    String name = "blobs/sha256/" + d.hex();
    TarBlobScan.Result scan;
    try (InputStream in = Files.newInputStream(file)) {
      scan = TarBlobScan.scan(in, compression, member -> { });
    }
    if (scan.storedSize() != d.size()) {
      checks.add(Invariant.SIZE, d.where() + ".size", String.valueOf(d.size()), scan.storedSize() + " bytes in "
          + name);
    }
    if (!scan.storedDigest().equals(d.digest())) {
      checks.add(Invariant.DIGEST, name, d.digest() + " (" + d.where() + ".digest)", scan.storedDigest());
    }
    checks.layer(scan, name, diffId, diffIdWhere);
  }

  private static Optional<JsonNode> jsonBlob(Path dir, Descriptor d, ArtifactChecks checks) throws IOException {
    return blob(dir, d, checks).flatMap(bytes -> checks.parse(bytes, "blobs/sha256/" + d.hex()));
  }

  /** A small blob's bytes, checked against its descriptor's size and digest. */
  private static Optional<byte[]> blob(Path dir, Descriptor d, ArtifactChecks checks) throws IOException {
    Path file = blobFile(dir, d, checks);
    if (file == null) {
      return Optional.empty();
    }
    String name = "blobs/sha256/" + d.hex();
    long size = Files.size(file);
    if (size != d.size()) {
      checks.add(Invariant.SIZE, d.where() + ".size", String.valueOf(d.size()), size + " bytes in " + name);
    }
    if (size > ArtifactChecks.MAX_JSON_BYTES) {
      checks.add(Invariant.MALFORMED, name, "a JSON document of at most " + ArtifactChecks.MAX_JSON_BYTES
          + " bytes", size + " bytes");
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    String digest = Digest.sha256Of(bytes).toString();
    if (!digest.equals(d.digest())) {
      checks.add(Invariant.DIGEST, name, d.digest() + " (" + d.where() + ".digest)", digest);
    }
    return Optional.of(bytes);
  }

  private static Path blobFile(Path dir, Descriptor d, ArtifactChecks checks) {
    Path file = dir.resolve("blobs").resolve("sha256").resolve(d.hex());
    if (!Files.isRegularFile(file)) {
      checks.add(Invariant.MISSING, d.where() + ".digest", "blob blobs/sha256/" + d.hex(), "no such file");
      return null;
    }
    return file;
  }

  private static Optional<byte[]> file(Path file, String name, ArtifactChecks checks) throws IOException {
    if (!Files.isRegularFile(file)) {
      checks.add(Invariant.MISSING, name, "a file", "no such file");
      return Optional.empty();
    }
    if (Files.size(file) > ArtifactChecks.MAX_JSON_BYTES) {
      checks.add(Invariant.MALFORMED, name, "a JSON document of at most " + ArtifactChecks.MAX_JSON_BYTES
          + " bytes", Files.size(file) + " bytes");
      return Optional.empty();
    }
    return Optional.of(Files.readAllBytes(file));
  }

  /** mediaType, a sha256 digest and a size: the descriptor fields minify writes and reads. */
  private static Optional<Descriptor> descriptor(JsonNode node, String where, ArtifactChecks checks) {
    Optional<JsonNode> object = checks.object(node, where);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> mediaType = checks.text(object.get(), "mediaType", where);
    Optional<String> digest = checks.text(object.get(), "digest", where);
    digest.filter(d -> !ArtifactChecks.SHA256_DIGEST.matcher(d).matches())
        .ifPresent(d -> checks.add(Invariant.MALFORMED, where + ".digest", "sha256:<64 hex digits>", "'" + d + "'"));
    JsonNode size = object.get().get("size");
    if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
      checks.add(Invariant.MALFORMED, where + ".size", "a byte count", ArtifactChecks.describe(size));
      return Optional.empty();
    }
    if (mediaType.isEmpty() || digest.isEmpty() || !ArtifactChecks.SHA256_DIGEST.matcher(digest.get()).matches()) {
      return Optional.empty();
    }
    return Optional.of(new Descriptor(mediaType.get(), digest.get(), size.asLong(), where));
  }

  private static void refName(JsonNode descriptor, String where, ArtifactChecks checks) {
    JsonNode annotations = descriptor.get("annotations");
    if (annotations == null) {
      return;
    }
    if (!annotations.isObject()) {
      checks.add(Invariant.MALFORMED, where + ".annotations", "a JSON object", ArtifactChecks.describe(annotations));
      return;
    }
    JsonNode refName = annotations.get(OciLayoutWriter.REF_NAME);
    if (refName != null) {
      String at = where + ".annotations[" + OciLayoutWriter.REF_NAME + "]";
      checks.text(refName, at).ifPresent(ref -> checks.reference(ref, at));
    }
  }

  private static void mediaTypeIfPresent(JsonNode document, String expected, String where, ArtifactChecks checks) {
    JsonNode mediaType = document.get("mediaType");
    // optional in the spec (SHOULD); minify writes it, and when there it must fit its place
    if (mediaType != null && !expected.equals(mediaType.asText(null))) {
      checks.add(Invariant.MEDIA_TYPE, where + ".mediaType", expected, ArtifactChecks.describe(mediaType));
    }
  }
}
