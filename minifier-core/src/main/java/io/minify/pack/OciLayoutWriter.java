package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.image.ImageReference;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a single-image OCI image layout (image-spec v1.0: {@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/}) with one gzip-compressed layer, reproducibly:
 * the gzip header carries no mtime and no file name, JSON is written in a fixed field order,
 * so the same config and layer give the same bytes.
 *
 * <p>The config blob is taken as given (the exact bytes of the docker-archive's config), so
 * both artifacts of one build have the same image id; its {@code rootfs.diff_ids} already
 * names the UNCOMPRESSED layer, as the spec requires, while the manifest names the gzip blob.
 */
public final class OciLayoutWriter {

  public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
  public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final ObjectMapper json = new ObjectMapper();

  /**
   * Writes the layout into {@code layoutDir}, which must be absent or empty.
   *
   * @param config  the image config JSON, exactly as it should be stored
   * @param layer   the uncompressed layer tar (its diffId is in {@code config})
   * @param refName the {@code org.opencontainers.image.ref.name} of the image in index.json, if any
   *                (e.g. "app.slim:1.0"); null for none
   */
  public OciLayout write(byte[] config, LayerBlob layer, Optional<ImageReference> refName, Path layoutDir) throws IOException {
    if (Files.exists(layoutDir)) {
      try (var list = Files.list(layoutDir)) {
        if (list.findAny().isPresent()) {
          throw new IOException(layoutDir + " is not empty");
        }
      }
    }
    Path blobs = Files.createDirectories(layoutDir.resolve("blobs").resolve(Digest.Algorithm.SHA256.label()));
    Descriptor layerBlob = writeGzipBlob(layer.file(), blobs);
    Descriptor configBlob = writeBlob(config, blobs);

    ObjectNode manifest = json.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    manifest.set("config", descriptor(CONFIG_TYPE, configBlob));
    manifest.putArray("layers").add(descriptor(LAYER_TYPE, layerBlob));
    Descriptor manifestBlob = writeBlob(json.writeValueAsBytes(manifest), blobs);

    ObjectNode index = json.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX_TYPE);
    ObjectNode entry = descriptor(MANIFEST_TYPE, manifestBlob);
    if (refName.isPresent()) {
      entry.putObject("annotations").put(REF_NAME, refName.get().toString());
    }
    index.putArray("manifests").add(entry);
    Files.write(layoutDir.resolve("index.json"), json.writeValueAsBytes(index));
    Files.writeString(layoutDir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return new OciLayout(layoutDir, manifestBlob.digest(), configBlob.digest(), layerBlob.digest(), layerBlob.size());
  }

  /** A blob's content address and size, as a descriptor names it. */
  private record Descriptor(Digest digest, long size) {}

  private ObjectNode descriptor(String mediaType, Descriptor blob) {
    ObjectNode d = json.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", blob.digest().toString());
    d.put("size", blob.size());
    return d;
  }

  private static Descriptor writeBlob(byte[] content, Path blobs) throws IOException {
    Digest digest = Digest.sha256Of(content);
    Files.write(blobs.resolve(digest.hex()), content);
    return new Descriptor(digest, content.length);
  }

  /**
   * Compresses {@code tar} into a blob, hashing the compressed bytes as they are written,
   * then names the blob by that hash. GZIPOutputStream writes mtime 0, no file name and no
   * extra fields, so its output depends on the input bytes only.
   */
  private static Descriptor writeGzipBlob(Path tar, Path blobs) throws IOException {
    Path partial = Files.createTempFile(blobs, "layer-", ".partial");
    MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    long size;
    try {
      try (OutputStream file = Files.newOutputStream(partial);
          DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), sha256);
          GZIPOutputStream gzip = new GZIPOutputStream(digest, 1 << 16)) {
        Files.copy(tar, gzip);
      }
      size = Files.size(partial);
      Digest digest = Digest.of(sha256);
      Files.move(partial, blobs.resolve(digest.hex()), StandardCopyOption.REPLACE_EXISTING);
      return new Descriptor(digest, size);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
