package io.minify.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.digest.Digest;
import io.minify.image.EntrySpooler.Spooled;
import io.minify.path.UnixPath;
import io.minify.tar.TarFormatException;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An image read from the tar stream of {@code docker save IMAGE}.
 *
 * <p>Both layouts are understood: the legacy one of Docker 20.10-24 ({@code manifest.json}
 * naming {@code <id>/layer.tar} and {@code <hex>.json}) and the OCI-style one of Docker 25+
 * ({@code manifest.json} naming {@code blobs/sha256/<hex>}). Every layer is verified against
 * the config's {@code rootfs.diff_ids}.
 *
 * <p>Each layer is hashed and indexed while it streams in (see {@link EntrySpooler}), so
 * {@link LayeredImageFilesystem#open(SavedImage)} only has to merge the indexes.
 *
 * @param config       the image config JSON, exactly as stored in the archive
 * @param layers       uncompressed layer tars on disk, bottom layer first
 * @param diffIds      the digest of each uncompressed layer, in the same order
 * @param repoTags     the archive's tags ("app:1.0"), possibly empty
 * @param layerIndexes each layer's entries, in the same order, an element empty when that
 *                     layer could not be indexed while streaming (it is scanned on open);
 *                     the whole list is empty when nothing was indexed
 */
public record SavedImage(byte[] config, List<Path> layers, List<Digest> diffIds, List<String> repoTags,
    List<Optional<LayerIndex>> layerIndexes) {
  private static final int MAX_SYMLINK_HOPS = 40;
  private static final long MAX_CONFIG_BYTES = 64L << 20;

  public SavedImage {
    config = config.clone();
    layers = List.copyOf(layers);
    diffIds = List.copyOf(diffIds);
    repoTags = List.copyOf(repoTags);
    layerIndexes = List.copyOf(layerIndexes);
    if (!layerIndexes.isEmpty() && layerIndexes.size() != layers.size()) {
      throw new IllegalArgumentException(
          layerIndexes.size() + " layer indexes for " + layers.size() + " layers");
    }
  }

  @Override
  public byte[] config() {
    return config.clone();
  }

  /**
   * The same image without its layer indexes. Once {@link LayeredImageFilesystem#open} has
   * merged them they are a second copy of every entry of every layer, which a build would
   * otherwise hold until it ends (a few hundred bytes an entry: 60 MB for 200,000 files).
   */
  public SavedImage withoutLayerIndexes() {
    return new SavedImage(config, layers, diffIds, repoTags, List.of());
  }

  // The indexes are derived from the layer files, so they take no part in equality.
  @Override
  public boolean equals(Object other) {
    return other instanceof SavedImage that && Arrays.equals(config, that.config) && layers.equals(that.layers)
        && diffIds.equals(that.diffIds) && repoTags.equals(that.repoTags);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(config) + layers.hashCode();
  }

  @Override
  public String toString() {
    return "SavedImage[layers=" + layers + ", diffIds=" + diffIds + ", repoTags=" + repoTags + "]";
  }

  /**
   * Reads a {@code docker save} stream, writing the uncompressed layers into {@code workDir}
   * as {@code layer-NNN.tar}. manifest.json may come anywhere in the stream, so every entry
   * is spooled to disk first; unreferenced entries are deleted afterwards. The stream is
   * read to its end but not closed.
   */
  public static SavedImage read(InputStream dockerSaveStream, Path workDir) throws IOException, ImageFormatException {
    Files.createDirectories(workDir);
    Path spoolDir = Files.createTempDirectory(workDir, "docker-save-");
    try {
      ArchiveSpool spool = ArchiveSpool.read(dockerSaveStream, spoolDir);
      return fromSpool(spool, workDir);
    } finally {
      deleteRecursively(spoolDir);
    }
  }

  private static SavedImage fromSpool(ArchiveSpool spool, Path workDir) throws IOException, ImageFormatException {
    Spooled manifestFile = spool.lookup("manifest.json");
    if (manifestFile == null) {
      throw new ImageFormatException("image archive has no manifest.json (expected `docker save` output)");
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = parseJson(json, manifestFile.path(), "manifest.json");
    if (!manifest.isArray() || manifest.isEmpty()) {
      throw new ImageFormatException("manifest.json is not a non-empty array");
    }
    if (manifest.size() > 1) {
      throw new ImageFormatException("image archive holds " + manifest.size() + " images; save exactly one image");
    }
    JsonNode image = manifest.get(0);
    String configName = image.path("Config").asText("");
    Spooled configFile = spool.require(configName, "Config");
    if (configFile.gunzipped()) {
      // Spooling decompressed it like any gzip blob, but a config is stored as plain JSON.
      throw new ImageFormatException("'" + configName + "' is not valid JSON: it is gzip-compressed");
    }
    if (Files.size(configFile.path()) > MAX_CONFIG_BYTES) {
      throw new ImageFormatException("image config '" + configName + "' is larger than 64 MiB");
    }
    byte[] config = Files.readAllBytes(configFile.path());
    JsonNode configJson = parseJson(json, configFile.path(), configName);

    List<String> repoTags = new ArrayList<>();
    image.path("RepoTags").forEach(tag -> repoTags.add(tag.asText()));

    JsonNode layerNames = image.path("Layers");
    if (!layerNames.isArray()) {
      throw new ImageFormatException("manifest.json has no Layers array");
    }
    JsonNode expectedDiffIds = configJson.path("rootfs").path("diff_ids");
    if (expectedDiffIds.isArray() && expectedDiffIds.size() != layerNames.size()) {
      throw new ImageFormatException("manifest.json lists " + layerNames.size()
          + " layers but the config's rootfs.diff_ids has " + expectedDiffIds.size());
    }
    List<Path> layers = new ArrayList<>();
    List<Digest> diffIds = new ArrayList<>();
    List<Optional<LayerIndex>> indexes = new ArrayList<>();
    Map<Path, Path> materialized = new HashMap<>();
    for (int i = 0; i < layerNames.size(); i++) {
      String layerName = layerNames.get(i).asText("");
      Spooled layerFile = spool.require(layerName, "Layers");
      Path target = workDir.resolve(String.format("layer-%03d.tar", i));
      Digest diffId = materializeLayer(layerFile, target, materialized, layerName);
      // compared as text: a diff id in the config that is no digest at all differs like any other
      if (expectedDiffIds.isArray() && !expectedDiffIds.get(i).asText().equals(diffId.toString())) {
        throw new ImageFormatException("layer '" + layerName + "' has digest " + diffId
            + " but the config's rootfs.diff_ids[" + i + "] is " + expectedDiffIds.get(i).asText());
      }
      layers.add(target);
      diffIds.add(diffId);
      // Offsets in the index are offsets in the spooled bytes, which the layer file now holds.
      indexes.add(Optional.ofNullable(layerFile.index()));
    }
    return new SavedImage(config, layers, diffIds, repoTags, indexes);
  }

  /**
   * Moves (or copies) a spooled layer to {@code target}; returns its diff id. Gzip layers were
   * already decompressed and hashed while spooling.
   */
  private static Digest materializeLayer(Spooled layerFile, Path target, Map<Path, Path> materialized, String layerName)
      throws IOException, ImageFormatException {
    if (layerFile.gzipFailure() != null) {
      throw new ImageFormatException(
          "layer '" + layerName + "' is not valid gzip: " + layerFile.gzipFailure().getMessage(), layerFile.gzipFailure());
    }
    Path source = materialized.getOrDefault(layerFile.path(), layerFile.path());
    byte[] magic = new byte[4];
    int magicLength;
    try (InputStream in = Files.newInputStream(source)) {
      magicLength = in.readNBytes(magic, 0, 4);
    }
    if (!layerFile.gunzipped() && magicLength == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      throw new ImageFormatException("layer '" + layerName + "' is zstd-compressed, which is not supported");
    }
    // The same blob may back two layers (a repeated diff): the first use moves it, later
    // uses copy the already materialized tar.
    Path earlier = materialized.get(layerFile.path());
    if (earlier == null) {
      Files.move(layerFile.path(), target, StandardCopyOption.REPLACE_EXISTING);
      materialized.put(layerFile.path(), target);
    } else {
      Files.copy(earlier, target, StandardCopyOption.REPLACE_EXISTING);
      WorkFiles.ownerOnly(target);
    }
    return layerFile.digest();
  }

  private static JsonNode parseJson(ObjectMapper json, Path file, String name) throws IOException, ImageFormatException {
    try {
      return json.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ImageFormatException("'" + name + "' is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.CharConversionException e) {
      // Jackson takes UTF-16 or UTF-32 from the first bytes; a char those cannot hold is not a JacksonException
      throw new ImageFormatException("'" + name + "' is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Every regular file, symlink and hardlink of a docker-save archive, by normalized name. */
  private record ArchiveSpool(Map<UnixPath, Spooled> files, Map<UnixPath, SymlinkTarget> symlinks) {

    static ArchiveSpool read(InputStream stream, Path spoolDir) throws IOException, ImageFormatException {
      Map<UnixPath, Spooled> files = new HashMap<>();
      Map<UnixPath, SymlinkTarget> symlinks = new HashMap<>();
      TarReader tar = new TarReader(stream);
      int counter = 0;
      try {
        TarHeader next;
        while ((next = tar.next()) != null) {
          TarHeader entry = next;
          UnixPath name = UnixPath.ofEntryName(entry.name()).orElseThrow(() -> new ImageFormatException(
              "image archive entry '" + entry.displayName() + "' has a '..' component"));
          if (entry.typeFlag() == TarHeader.SYMLINK) {
            symlinks.put(name, SymlinkTarget.of(entry.linkName()));
          } else if (entry.typeFlag() == TarHeader.HARDLINK) {
            Spooled linked = UnixPath.ofEntryName(entry.linkName()).map(files::get).orElse(null);
            if (linked == null) {
              throw new ImageFormatException("image archive hardlink '" + entry.displayName()
                  + "' points to missing or unsafe '" + entry.displayLinkName() + "'");
            }
            files.put(name, linked);
          } else if (entry.isRegularFile()) {
            // Spool files get counter names: archive names never become host paths.
            Path spooled = spoolDir.resolve("entry-" + counter++);
            files.put(name, EntrySpooler.spool(tar.content(), spooled));
          }
        }
      } catch (TarFormatException e) {
        if (files.isEmpty() && symlinks.isEmpty()) {
          throw new ImageFormatException("image archive is not a readable tar: " + e.getMessage(), e);
        }
        throw new ImageFormatException("image archive is damaged: " + e.getMessage(), e);
      }
      return new ArchiveSpool(files, symlinks);
    }

    /** The file at an archive name (relative to the archive root), following symlinks. */
    Spooled lookup(String archiveName) {
      UnixPath name = UnixPath.ofEntryName(archiveName.getBytes(StandardCharsets.UTF_8)).orElse(null);
      for (int hops = 0; name != null && hops <= MAX_SYMLINK_HOPS; hops++) {
        Spooled file = files.get(name);
        if (file != null) {
          return file;
        }
        SymlinkTarget target = symlinks.get(name);
        if (target == null) {
          return null;
        }
        // Legacy archives link repeated layers as "../<id>/layer.tar", relative to the link;
        // ".." is resolved lexically and never climbs above the archive root.
        byte[] base = target.isAbsolute() ? new byte[0] : name.parent().bytes();
        byte[] link = target.bytes();
        byte[] joined = Arrays.copyOf(base, base.length + 1 + link.length);
        joined[base.length] = '/';
        System.arraycopy(link, 0, joined, base.length + 1, link.length);
        name = UnixPath.ofBytes(joined);
      }
      return null;
    }

    Spooled require(String archiveName, String field) throws ImageFormatException {
      Spooled file = archiveName.isEmpty() ? null : lookup(archiveName);
      if (file == null) {
        throw new ImageFormatException("manifest.json " + field + " names '" + archiveName
            + "' but the archive has no such file");
      }
      return file;
    }
  }
}
