package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.image.WorkFiles;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import io.minify.image.ImageReference;
import io.minify.tar.TarHeader;
import io.minify.tar.TarWriter;
import io.minify.tar.Xattrs;

/**
 * Writes a single-layer docker-archive ({@code <config-hex>.json}, {@code <layer-hex>/layer.tar},
 * {@code manifest.json}) that {@code docker load} accepts, reproducibly: sorted entries,
 * mtime 0, owner 0:0 with empty names. Same inputs give the same bytes.
 *
 * <p>The config is the original image's with every field kept in its order; only
 * {@code rootfs} (the one new layer) and {@code history} (original steps marked
 * {@code empty_layer}, plus one "minify build" step) change, then the caller's mutation.
 */
public final class DockerArchiveWriter {
  private static final long EPOCH_SECONDS = 0;

  private final ObjectMapper json = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      // numbers are written back as they were read: "1.50" stays "1.50", so the config's digest is stable
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  /** {@link #write(byte[], LayerBlob, Optional, UnaryOperator, Path)} without a config mutation. */
  public DockerArchive write(byte[] originalConfig, LayerBlob layer, Optional<ImageReference> repoTag,
      Path archiveFile)
      throws IOException {
    return write(originalConfig, layer, repoTag, UnaryOperator.identity(), archiveFile);
  }

  /**
   * Writes the archive.
   *
   * @param originalConfig the original image's config JSON
   * @param layer          the only layer of the new image
   * @param repoTag        the tag in manifest.json; empty for an untagged image
   * @param configMutation applied to the rewritten config before it is serialized and hashed
   * @param archiveFile    where to write the tar
   */
  public DockerArchive write(byte[] originalConfig, LayerBlob layer, Optional<ImageReference> repoTag,
      UnaryOperator<ObjectNode> configMutation, Path archiveFile) throws IOException {
    byte[] config = rewriteConfig(originalConfig, layer, configMutation);
    Digest imageId = Digest.sha256Of(config);
    String configHex = imageId.hex();
    String layerHex = layer.diffId().hex();
    List<String> repoTags = repoTag.map(ImageReference::toString).map(List::of).orElse(List.of());

    ArrayNode manifest = json.createArrayNode();
    ObjectNode image = manifest.addObject();
    image.put("Config", configHex + ".json");
    repoTags.forEach(image.putArray("RepoTags")::add);
    if (repoTags.isEmpty()) {
      image.putArray("RepoTags");
    }
    image.putArray("Layers").add(layerHex + "/layer.tar");
    byte[] manifestBytes = json.writeValueAsBytes(manifest);

    long layerSize = Files.size(layer.file());
    if (layerSize != layer.size()) {
      throw new IOException("layer file " + layer.file().getFileName() + " has " + layerSize
          + " bytes, its LayerBlob says " + layer.size());
    }
    // Sorted by name: "<hex>.json" and "<hex>/" (hex digits) all sort before "manifest.json".
    TreeMap<String, Object> entries = new TreeMap<>();
    entries.put(configHex + ".json", config);
    entries.put(layerHex + "/", null);
    entries.put(layerHex + "/layer.tar", layer.file());
    entries.put("manifest.json", manifestBytes);
    try (FileChannel archive = WorkFiles.createChannel(archiveFile);
        OutputStream file = new BufferedOutputStream(Channels.newOutputStream(archive), 1 << 16)) {
      TarWriter tar = new TarWriter(file);
      for (var entry : entries.entrySet()) {
        Object content = entry.getValue();
        if (content == null) {
          tar.putEntry(fixedEntry(entry.getKey(), TarHeader.DIRECTORY, 0755, 0));
          tar.closeEntry(0);
        } else if (content instanceof byte[] bytes) {
          tar.putEntry(fixedEntry(entry.getKey(), TarHeader.REGULAR, 0644, bytes.length));
          tar.write(bytes, 0, bytes.length);
          tar.closeEntry(bytes.length);
        } else {
          tar.putEntry(fixedEntry(entry.getKey(), TarHeader.REGULAR, 0644, layerSize));
          file.flush(); // the header, before the layer's bytes go into the file past the stream
          copyWhole((Path) content, layerSize, archive);
          tar.contentWrittenPast(layerSize);
          tar.closeEntry(layerSize);
        }
      }
      tar.finish();
    }
    return new DockerArchive(archiveFile, imageId, config, repoTags);
  }

  /**
   * Appends the layer file to the archive's file at its position. The kernel copies it from
   * page cache to page cache ({@code sendfile}): the layer is the archive's bulk, and its bytes
   * need not pass through this process again (they were hashed as the layer was written).
   */
  private static void copyWhole(Path layerFile, long size, FileChannel archive) throws IOException {
    try (FileChannel layer = FileChannel.open(layerFile, StandardOpenOption.READ)) {
      for (long copied = 0; copied < size; ) {
        long n = layer.transferTo(copied, size - copied, archive);
        if (n <= 0) {
          throw new IOException("layer file " + layerFile.getFileName() + " ended after " + copied + " of " + size
              + " bytes");
        }
        copied += n;
      }
    }
  }

  /**
   * The new image config: the original with {@code rootfs} set to the single layer,
   * {@code history} entries all marked {@code empty_layer} plus a final "minify build" step
   * (which is the one that made the layer), then {@code configMutation} applied.
   */
  public byte[] rewriteConfig(byte[] originalConfig, LayerBlob layer, UnaryOperator<ObjectNode> configMutation)
      throws IOException {
    JsonNode parsed;
    try {
      parsed = json.readTree(originalConfig);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("original image config is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!(parsed instanceof ObjectNode config)) {
      throw new IllegalArgumentException("original image config is not a JSON object");
    }
    JsonNode created = config.get("created");

    ObjectNode rootfs = json.createObjectNode();
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(layer.diffId().toString());
    config.set("rootfs", rootfs); // replacing keeps the field's original position

    ArrayNode history = json.createArrayNode();
    for (JsonNode step : config.path("history")) {
      if (step instanceof ObjectNode original) {
        ObjectNode copy = original.deepCopy();
        copy.put("empty_layer", true);
        history.add(copy);
      }
    }
    ObjectNode minifyStep = history.addObject();
    if (created != null && !created.isNull()) {
      minifyStep.set("created", created);
    }
    minifyStep.put("created_by", "minify build");
    minifyStep.put("comment", "minify: kept " + layer.entries() + " entries, " + layer.contentBytes()
        + " bytes of file content");
    config.set("history", history);

    ObjectNode mutated = configMutation.apply(config);
    if (mutated == null) {
      throw new IllegalStateException("config mutation returned null");
    }
    return json.writeValueAsBytes(mutated);
  }

  /** Archive member names are ASCII by construction (hex digests, fixed names). */
  private static TarWriter.Member fixedEntry(String name, byte type, int mode, long size) {
    return new TarWriter.Member(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), type, mode, 0, 0, size,
        EPOCH_SECONDS, new byte[0], 0, 0, Xattrs.NONE);
  }
}
