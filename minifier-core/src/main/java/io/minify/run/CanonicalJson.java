package io.minify.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A JSON body with its objects' members in name order. JSON objects are unordered (RFC 8259),
 * and many apps emit them in an order that changes from run to run: Java's {@code Map.of} and
 * {@code Set.of} iterate in an order salted at JVM start, so an error body that is
 * {@code {"status":400,"errors":{...}}} in one run is {@code {"errors":{...},"status":400}}
 * in the next. Two bodies with the same canonical form say the same thing; arrays keep their
 * order, which does carry meaning.
 */
final class CanonicalJson {

  /** Larger bodies are compared as bytes: parsing them is not worth a build's time and memory. */
  static final int MAX_BYTES = 4 << 20;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private CanonicalJson() {}

  /** Whether answers of {@code mediaType} are JSON: application/json and any {@code +json} type. */
  static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  /** The canonical bytes of {@code body}; empty when it is not one JSON document or is too large. */
  static Optional<byte[]> of(byte[] body) {
    if (body.length > MAX_BYTES) {
      return Optional.empty();
    }
    try {
      JsonNode tree = JSON.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        return Optional.empty();
      }
      return Optional.of(JSON.writeValueAsBytes(sorted(tree)));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // bytes in memory: only a malformed document gets here
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
