package io.minify.pack;

import io.minify.digest.Digest;
import io.minify.stream.ChannelRangeInputStream;
import com.fasterxml.jackson.databind.JsonNode;
import io.minify.pack.ArtifactFinding.Invariant;
import io.minify.tar.TarHeader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a docker-archive (what {@link DockerArchiveWriter} and {@code docker save}
 * write) agrees with itself: a tar to its end marker, a well-formed {@code manifest.json},
 * every member it names present, a config named by its digest whose {@code rootfs.diff_ids}
 * are the sha256 of each layer's uncompressed tar (gzip layers are decompressed), as many
 * layers as diff ids and as history steps that made one, repo tags in normal form, and each
 * layer a tar to its end marker. The legacy layout ({@code <hex>.json},
 * {@code <id>/layer.tar}) and Docker 25's ({@code blobs/sha256/<hex>}) are both read.
 *
 * <p>Every finding is collected, not only the first; see {@link ArtifactFinding}.
 */
public final class DockerArchiveValidator {
  private static final Pattern LEGACY_CONFIG = Pattern.compile("([0-9a-f]{64})\\.json");
  private static final Pattern BLOB = Pattern.compile("blobs/sha256/([0-9a-f]{64})");

  /** What was read of the archive's first image, for comparing with what the writer returned. */
  private record FirstImage(int images, Optional<byte[]> config, List<String> repoTags) {}

  private record Walk(List<ArtifactFinding> findings, Optional<FirstImage> first) {}

  /** Everything {@code archive} gets wrong; empty when it is valid. */
  public List<ArtifactFinding> findings(Path archive) throws IOException {
    return walk(archive).findings();
  }

  /** {@link #findings(Path)} of the archive's file, and whether it is what {@code written} says it is. */
  public List<ArtifactFinding> findings(DockerArchive written) throws IOException {
    Walk walk = walk(written.file());
    List<ArtifactFinding> findings = new ArrayList<>(walk.findings());
    walk.first().ifPresent(first -> {
      if (first.images() != 1) {
        findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, "manifest.json", "1 image", first.images()
            + " images"));
      }
      first.config().ifPresent(config -> {
        String id = Digest.sha256Of(config).toString();
        if (!id.equals(written.imageId().toString())) {
          findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, "DockerArchive.imageId", id
              + " (sha256 of the archive's config)", written.imageId().toString()));
        }
        String recorded = Digest.sha256Of(written.config()).toString();
        if (!recorded.equals(id)) {
          findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, "DockerArchive.config", id
              + " (sha256 of the archive's config)", recorded));
        }
      });
      if (!first.repoTags().equals(written.repoTags())) {
        findings.add(new ArtifactFinding(Invariant.WRITER_RECORD, "DockerArchive.repoTags", first.repoTags()
            + " (manifest.json[0].RepoTags)", written.repoTags().toString()));
      }
    });
    return List.copyOf(findings);
  }

  /** @throws InvalidArtifactException naming every finding, when there is one */
  public void requireValid(Path archive) throws IOException {
    InvalidArtifactException.throwIfAny("docker-archive " + archive, findings(archive));
  }

  /** @throws InvalidArtifactException naming every finding, when there is one */
  public void requireValid(DockerArchive written) throws IOException {
    InvalidArtifactException.throwIfAny("docker-archive " + written.file(), findings(written));
  }

  private Walk walk(Path archive) throws IOException {
    ArtifactChecks checks = new ArtifactChecks();
    if (!Files.isRegularFile(archive)) {
      checks.add(Invariant.MISSING, archive.toString(), "a docker-archive file", "no such file");
      return new Walk(checks.findings(), Optional.empty());
    }
    Map<String, TarHeader> members = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive)) {
      TarBlobScan.Result scan = TarBlobScan.scan(in, TarBlobScan.Compression.NONE,
          member -> members.put(new String(member.name(), StandardCharsets.UTF_8), member));
      scan.problem().ifPresent(p -> checks.add(Invariant.ARCHIVE_TAR, archive.getFileName().toString(),
          "a tar that reads to its end-of-archive marker", p));
    }
    try (FileChannel channel = FileChannel.open(archive)) {
      Members archiveMembers = new Members(channel, members, checks);
      Optional<JsonNode> manifest = archiveMembers.json("manifest.json", "manifest.json");
      Optional<FirstImage> first = manifest.isEmpty() ? Optional.empty()
          : images(manifest.get(), archiveMembers, checks);
      return new Walk(checks.findings(), first);
    }
  }

  private Optional<FirstImage> images(JsonNode manifest, Members members, ArtifactChecks checks) throws IOException {
    if (!manifest.isArray() || manifest.isEmpty()) {
      checks.add(Invariant.MALFORMED, "manifest.json", "a JSON array of at least one image",
          ArtifactChecks.describe(manifest));
      return Optional.empty();
    }
    FirstImage first = null;
    for (int i = 0; i < manifest.size(); i++) {
      String at = "manifest.json[" + i + "]";
      Optional<JsonNode> image = checks.object(manifest.get(i), at);
      if (image.isEmpty()) {
        continue;
      }
      List<String> repoTags = repoTags(image.get(), at, checks);
      Optional<byte[]> config = Optional.empty();
      Optional<List<String>> diffIds = Optional.empty();
      String configName = checks.text(image.get(), "Config", at).orElse(null);
      String configWhere = "config " + configName;
      if (configName != null) {
        config = members.bytes(configName, at + ".Config");
        if (config.isPresent()) {
          digestName(configName, config.get(), at + ".Config", checks);
          diffIds = checks.diffIds(config.get(), configWhere);
        }
      }
      Optional<JsonNode> layers = checks.array(image.get(), "Layers", at);
      if (layers.isPresent()) {
        for (int j = 0; j < layers.get().size(); j++) {
          String layerAt = at + ".Layers[" + j + "]";
          Optional<String> layerName = checks.text(layers.get().get(j), layerAt);
          if (layerName.isEmpty()) {
            continue;
          }
          Optional<TarBlobScan.Result> scan = members.scanLayer(layerName.get(), layerAt);
          if (scan.isEmpty()) {
            continue;
          }
          Matcher blob = BLOB.matcher(layerName.get());
          if (blob.matches() && !scan.get().storedDigest().equals("sha256:" + blob.group(1))) {
            checks.add(Invariant.DIGEST, layerName.get(), "sha256:" + blob.group(1) + " (its name)",
                scan.get().storedDigest());
          }
          Optional<String> diffId = diffIds.isPresent() && j < diffIds.get().size()
              ? Optional.of(diffIds.get().get(j)) : Optional.empty();
          checks.layer(scan.get(), layerName.get(), diffId, configWhere + " rootfs.diff_ids[" + j + "]");
        }
        if (diffIds.isPresent()) {
          checks.layerCount(layers.get().size(), at + ".Layers", diffIds.get().size(), configWhere);
        }
      }
      if (first == null) {
        first = new FirstImage(manifest.size(), config, repoTags);
      }
    }
    return Optional.ofNullable(first);
  }

  private static List<String> repoTags(JsonNode image, String at, ArtifactChecks checks) {
    JsonNode tags = image.get("RepoTags");
    List<String> repoTags = new ArrayList<>();
    // the engine writes null for an untagged image, minify an empty array
    if (tags == null || tags.isNull()) {
      return repoTags;
    }
    if (!tags.isArray()) {
      checks.add(Invariant.MALFORMED, at + ".RepoTags", "a JSON array", ArtifactChecks.describe(tags));
      return repoTags;
    }
    for (int k = 0; k < tags.size(); k++) {
      String tagAt = at + ".RepoTags[" + k + "]";
      checks.text(tags.get(k), tagAt).ifPresent(tag -> {
        checks.reference(tag, tagAt);
        repoTags.add(tag);
      });
    }
    return repoTags;
  }

  /** A config is content-addressed: {@code <hex>.json} (legacy) or {@code blobs/sha256/<hex>}. */
  private static void digestName(String name, byte[] config, String where, ArtifactChecks checks) {
    Matcher legacy = LEGACY_CONFIG.matcher(name);
    Matcher blob = BLOB.matcher(name);
    String hex = legacy.matches() ? legacy.group(1) : blob.matches() ? blob.group(1) : null;
    if (hex == null) {
      checks.add(Invariant.BLOB_NAME, where, "<sha256 hex>.json or blobs/sha256/<hex>", "'" + name + "'");
      return;
    }
    String actual = Digest.sha256Of(config).hex();
    if (!actual.equals(hex)) {
      checks.add(Invariant.DIGEST, name, "sha256:" + hex + " (its name)", "sha256:" + actual);
    }
  }

  /** The archive's members, read back by position from the file. */
  private static final class Members {
    private final FileChannel channel;
    private final Map<String, TarHeader> byName;
    private final ArtifactChecks checks;

    Members(FileChannel channel, Map<String, TarHeader> byName, ArtifactChecks checks) {
      this.channel = channel;
      this.byName = byName;
      this.checks = checks;
    }

    Optional<TarHeader> member(String name, String where) {
      TarHeader member = byName.get(name);
      if (member == null || !member.isRegularFile()) {
        checks.add(Invariant.MISSING, where, "member '" + name + "'", member == null ? "no such member"
            : "a member that is not a regular file");
        return Optional.empty();
      }
      return Optional.of(member);
    }

    Optional<byte[]> bytes(String name, String where) throws IOException {
      Optional<TarHeader> member = member(name, where);
      if (member.isEmpty()) {
        return Optional.empty();
      }
      long size = member.get().storedBytes();
      if (size > ArtifactChecks.MAX_JSON_BYTES) {
        checks.add(Invariant.MALFORMED, name, "a JSON document of at most " + ArtifactChecks.MAX_JSON_BYTES
            + " bytes", size + " bytes");
        return Optional.empty();
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      long position = member.get().dataOffset();
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          // the archive scan has named the cut already
          return Optional.empty();
        }
      }
      return Optional.of(buffer.array());
    }

    Optional<JsonNode> json(String name, String where) throws IOException {
      Optional<byte[]> bytes = bytes(name, where);
      return bytes.isEmpty() ? Optional.empty() : checks.parse(bytes.get(), name);
    }

    Optional<TarBlobScan.Result> scanLayer(String name, String where) throws IOException {
      Optional<TarHeader> member = member(name, where);
      if (member.isEmpty()) {
        return Optional.empty();
      }
      try (InputStream in = new BufferedInputStream(
          new ChannelRangeInputStream(channel, member.get().dataOffset(), member.get().storedBytes()), 1 << 16)) {
        return Optional.of(TarBlobScan.scan(in, TarBlobScan.Compression.DETECT, m -> { }));
      }
    }
  }}
