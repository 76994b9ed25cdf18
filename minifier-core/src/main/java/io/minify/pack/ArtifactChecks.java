package io.minify.pack;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.image.ImageReference;
import io.minify.pack.ArtifactFinding.Invariant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What both validators check the same way: JSON documents and their fields, image
 * references, and the image config's layer list against the layers. Collects findings
 * instead of stopping at the first, so one run names everything that is wrong.
 */
final class ArtifactChecks {
  static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  /** A JSON document (config, manifest, index) larger than this is refused, not read into memory. */
  static final long MAX_JSON_BYTES = 64L << 20;

  private final ObjectMapper json = new ObjectMapper();
  private final List<ArtifactFinding> findings = new ArrayList<>();

  void add(Invariant invariant, String where, String expected, String found) {
    findings.add(new ArtifactFinding(invariant, where, expected, found));
  }

  List<ArtifactFinding> findings() {
    return List.copyOf(findings);
  }

  /** The document, or empty (with a finding) when it is not JSON. */
  Optional<JsonNode> parse(byte[] bytes, String where) {
    try {
      return Optional.of(json.readTree(bytes));
    } catch (JacksonException e) {
      add(Invariant.MALFORMED, where, "a JSON document", "not JSON: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("reading JSON from memory", e);
    }
  }

  /** The object, or empty (with a finding) when {@code node} is not one. */
  Optional<JsonNode> object(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      add(Invariant.MALFORMED, where, "a JSON object", describe(node));
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /** The array field, or empty (with a finding) when it is absent or not an array. */
  Optional<JsonNode> array(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isArray()) {
      add(Invariant.MALFORMED, where + "." + field, "a JSON array", describe(node));
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /** The string field, or empty (with a finding) when it is absent or not a string. */
  Optional<String> text(JsonNode parent, String field, String where) {
    return text(parent.get(field), where + "." + field);
  }

  Optional<String> text(JsonNode node, String where) {
    if (node == null || !node.isTextual()) {
      add(Invariant.MALFORMED, where, "a JSON string", describe(node));
      return Optional.empty();
    }
    return Optional.of(node.asText());
  }

  /** {@code schemaVersion} must be 2, in an OCI index and manifest as in a docker manifest list. */
  void schemaVersion2(JsonNode document, String where) {
    JsonNode version = document.get("schemaVersion");
    if (version == null || !version.isInt() || version.asInt() != 2) {
      add(Invariant.MALFORMED, where + ".schemaVersion", "2", describe(version));
    }
  }

  /** A repo tag or ref name: what {@link ImageReference} parses and prints back unchanged. */
  void reference(String value, String where) {
    try {
      String normalized = ImageReference.parse(value).toString();
      if (!normalized.equals(value)) {
        add(Invariant.REFERENCE, where, "'" + normalized + "'", "'" + value + "'");
      }
    } catch (IllegalArgumentException e) {
      add(Invariant.REFERENCE, where, "repository:tag", "'" + value + "' (" + e.getMessage() + ")");
    }
  }

  /**
   * The config's {@code rootfs.diff_ids}, each checked for form, and its history checked
   * against them: as many steps without {@code empty_layer} as layers. Empty when the
   * config is not a usable image config (with findings).
   */
  Optional<List<String>> diffIds(byte[] config, String where) {
    Optional<JsonNode> parsed = parse(config, where).flatMap(node -> object(node, where));
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    Optional<JsonNode> rootfs = object(parsed.get().get("rootfs"), where + " rootfs");
    if (rootfs.isEmpty()) {
      return Optional.empty();
    }
    text(rootfs.get(), "type", where + " rootfs").filter(type -> !type.equals("layers"))
        .ifPresent(type -> add(Invariant.MALFORMED, where + " rootfs.type", "'layers'", "'" + type + "'"));
    Optional<JsonNode> ids = array(rootfs.get(), "diff_ids", where + " rootfs");
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    List<String> diffIds = new ArrayList<>();
    for (int i = 0; i < ids.get().size(); i++) {
      String at = where + " rootfs.diff_ids[" + i + "]";
      Optional<String> id = text(ids.get().get(i), at);
      id.filter(d -> !SHA256_DIGEST.matcher(d).matches())
          .ifPresent(d -> add(Invariant.MALFORMED, at, "sha256:<64 hex digits>", "'" + d + "'"));
      diffIds.add(id.orElse(""));
    }
    JsonNode history = parsed.get().get("history");
    // history is optional in the image spec; where it is there, it says which steps made the layers
    if (history != null) {
      if (!history.isArray()) {
        add(Invariant.MALFORMED, where + " history", "a JSON array", describe(history));
      } else {
        long made = 0;
        for (JsonNode step : history) {
          if (!step.path("empty_layer").asBoolean(false)) {
            made++;
          }
        }
        if (made != diffIds.size()) {
          add(Invariant.HISTORY, where + " history", diffIds.size() + " step(s) without empty_layer, one per"
              + " rootfs.diff_ids entry", made + " of " + history.size());
        }
      }
    }
    return Optional.of(diffIds);
  }

  /**
   * A layer's scan against its diff id and its own structure. Counts are checked by the
   * caller, which knows both lists.
   */
  void layer(TarBlobScan.Result scan, String where, Optional<String> diffId, String diffIdWhere) {
    scan.problem().ifPresent(p -> add(Invariant.LAYER_TAR, where, "a tar that reads to its end-of-archive marker", p));
    if (diffId.isPresent() && scan.tarDigest().isPresent() && !diffId.get().equals(scan.tarDigest().get())) {
      add(Invariant.DIFF_ID, diffIdWhere, diffId.get(), scan.tarDigest().get() + " (sha256 of " + where
          + ", uncompressed)");
    }
  }

  /** The layer count against the diff ids. */
  void layerCount(int layers, String layersWhere, int diffIds, String configWhere) {
    if (layers != diffIds) {
      add(Invariant.LAYER_COUNT, layersWhere, diffIds + " layer(s), as " + configWhere + " rootfs.diff_ids lists",
          layers + " layer(s)");
    }
  }

  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
        + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
  }
}
