package io.minify.analysis;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.digest.Digest;
import io.minify.image.ImageFormatException;
import io.minify.image.SavedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/}) holding one image into a {@link SavedImage}: the layers are
 * decompressed into a work directory and checked against the manifest's blob digests and
 * the config's {@code rootfs.diff_ids}, exactly as a {@code docker save} stream is.
 */
final class OciLayoutReader {
  private static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
  private static final String DOCKER_LIST_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final long MAX_JSON_BYTES = 64L << 20;

  private final ObjectMapper json = new ObjectMapper();

  SavedImage read(Path layout, Path workDir) throws IOException, ImageFormatException {
    if (!Files.isRegularFile(layout.resolve("oci-layout"))) {
      throw new ImageFormatException("'" + layout + "' is not an OCI image layout: it has no oci-layout file");
    }
    JsonNode index = readJson(layout.resolve("index.json"), "index.json");
    JsonNode manifests = index.path("manifests");
    if (!manifests.isArray() || manifests.isEmpty()) {
      throw new ImageFormatException("index.json of '" + layout + "' lists no manifest");
    }
    if (manifests.size() > 1) {
      throw new ImageFormatException("index.json of '" + layout + "' lists " + manifests.size()
          + " manifests; analyse a layout holding exactly one image");
    }
    JsonNode descriptor = manifests.get(0);
    String mediaType = descriptor.path("mediaType").asText("");
    if (mediaType.equals(INDEX_TYPE) || mediaType.equals(DOCKER_LIST_TYPE)) {
      throw new ImageFormatException("index.json of '" + layout + "' points to an image index (several platforms);"
          + " only single-platform layouts are read");
    }
    List<String> repoTags = new ArrayList<>();
    Optional.ofNullable(descriptor.path("annotations").get(REF_NAME)).map(JsonNode::asText).ifPresent(repoTags::add);
    JsonNode manifest = readJson(blob(layout, descriptor, "index.json manifests[0]"), "the manifest");
    byte[] config = readBlob(layout, manifest.path("config"), "the manifest's config");
    JsonNode configJson;
    try {
      configJson = json.readTree(config);
    } catch (JacksonException e) {
      throw new ImageFormatException("the config blob of '" + layout + "' is not valid JSON: " + e.getOriginalMessage(),
          e);
    }
    JsonNode layers = manifest.path("layers");
    JsonNode diffIds = configJson.path("rootfs").path("diff_ids");
    if (!layers.isArray() || !diffIds.isArray() || layers.size() != diffIds.size()) {
      throw new ImageFormatException("the manifest of '" + layout + "' lists " + layers.size()
          + " layers but the config's rootfs.diff_ids has " + diffIds.size());
    }
    Files.createDirectories(workDir);
    List<Path> layerFiles = new ArrayList<>();
    List<Digest> layerDiffIds = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      JsonNode layer = layers.get(i);
      String where = "layer " + i;
      Path target = workDir.resolve(String.format("layer-%03d.tar", i));
      Digest diffId = copyLayer(layout, layer, target, where);
      // compared as text: a diff id in the config that is no digest at all differs like any other
      if (!diffId.toString().equals(diffIds.get(i).asText())) {
        throw new ImageFormatException(where + " of '" + layout + "' has digest " + diffId
            + " but the config's rootfs.diff_ids[" + i + "] is " + diffIds.get(i).asText());
      }
      layerFiles.add(target);
      layerDiffIds.add(diffId);
    }
    return new SavedImage(config, layerFiles, layerDiffIds, repoTags, List.of());
  }

  /** Decompresses (when gzip) one layer blob to {@code target}; returns the digest of the tar. */
  private Digest copyLayer(Path layout, JsonNode descriptor, Path target, String where)
      throws IOException, ImageFormatException {
    Digest expected = digest(layout, descriptor, where);
    Path blob = blob(layout, descriptor, where);
    String mediaType = descriptor.path("mediaType").asText("");
    if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
      throw new ImageFormatException(where + " of '" + layout + "' is zstd-compressed, which is not supported");
    }
    MessageDigest blobDigest = Digest.Algorithm.SHA256.newHasher();
    MessageDigest tarDigest = Digest.Algorithm.SHA256.newHasher();
    try (InputStream raw = new BufferedInputStream(new DigestInputStream(Files.newInputStream(blob), blobDigest),
        1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream tar = gzip
          ? GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get()
          : raw;
      try (OutputStream out = Files.newOutputStream(target)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = tar.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          tarDigest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        if (gzip) {
          throw new ImageFormatException(where + " of '" + layout + "' is not valid gzip: " + e.getMessage(), e);
        }
        throw e;
      }
      raw.transferTo(OutputStream.nullOutputStream());
    }
    Digest actual = Digest.of(blobDigest);
    if (!actual.equals(expected)) {
      throw new ImageFormatException(where + " of '" + layout + "': blob " + expected + " has digest " + actual);
    }
    return Digest.of(tarDigest);
  }

  private byte[] readBlob(Path layout, JsonNode descriptor, String what) throws IOException, ImageFormatException {
    Path file = blob(layout, descriptor, what);
    if (Files.size(file) > MAX_JSON_BYTES) {
      throw new ImageFormatException(what + " of '" + layout + "' is larger than 64 MiB");
    }
    byte[] bytes = Files.readAllBytes(file);
    Digest expected = digest(layout, descriptor, what);
    Digest actual = Digest.sha256Of(bytes);
    if (!actual.equals(expected)) {
      throw new ImageFormatException(what + " of '" + layout + "': blob " + expected + " has digest " + actual);
    }
    return bytes;
  }

  /** The digest a descriptor names. */
  private static Digest digest(Path layout, JsonNode descriptor, String what) throws ImageFormatException {
    String digest = descriptor.path("digest").asText("");
    try {
      return Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new ImageFormatException(what + " of '" + layout + "' has digest '" + digest
          + "', not sha256:<64 hex digits>");
    }
  }

  /** The blob file a descriptor names; the digest is checked before it becomes a path. */
  private static Path blob(Path layout, JsonNode descriptor, String what) throws ImageFormatException {
    Digest digest = digest(layout, descriptor, what);
    Path file = layout.resolve("blobs").resolve(digest.algorithm().label()).resolve(digest.hex());
    if (!Files.isRegularFile(file)) {
      throw new ImageFormatException(what + " of '" + layout + "' names blob " + digest + ", which is missing");
    }
    return file;
  }

  private JsonNode readJson(Path file, String what) throws IOException, ImageFormatException {
    if (!Files.isRegularFile(file)) {
      throw new ImageFormatException("'" + file.getParent() + "' has no " + what);
    }
    try {
      return json.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new ImageFormatException(what + " of '" + file.getParent() + "' is not valid JSON: "
          + e.getOriginalMessage(), e);
    }
  }
}
