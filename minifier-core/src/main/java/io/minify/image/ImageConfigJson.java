package io.minify.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@link ImageConfig} from the JSON the engine uses for it: the "Config" object of
 * an image inspect, or the "config" object of the image config blob (same field names).
 * One parser for both keeps the inspected and the packaged view identical.
 */
public final class ImageConfigJson {

  private ImageConfigJson() {}

  public static ImageConfig parse(JsonNode config) {
    if (config == null || config.isNull() || config.isMissingNode()) {
      return new ImageConfig(List.of(), List.of(), List.of(), "", "", List.of(), List.of(), Map.of(), null);
    }
    return new ImageConfig(
        strings(config.get("Entrypoint")),
        strings(config.get("Cmd")),
        strings(config.get("Env")),
        text(config.get("User")),
        text(config.get("WorkingDir")),
        keys(config.get("ExposedPorts")),
        keys(config.get("Volumes")),
        labels(config.get("Labels")),
        text(config.get("StopSignal")));
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (node != null && node.isTextual()) {
      out.add(node.asText());
    }
    return out;
  }

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isObject()) {
      node.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
