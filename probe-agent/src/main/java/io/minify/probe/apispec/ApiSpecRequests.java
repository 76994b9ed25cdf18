package io.minify.probe.apispec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.minify.probe.HttpBody;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeCommandParser;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an OpenAPI 3 or Swagger 2 document (JSON or YAML) into one request per operation.
 * Path and query parameters get their example, else their default, else the first enum
 * value, else a value of their type; a JSON request body is generated from its schema the
 * same way. Optional query parameters are sent only when the spec gives a value for them
 * (an invented value for an optional filter is more likely to cause a 400 than to reach new
 * code). Local {@code $ref}s ({@code #/...}) are followed; recursion stops after a few levels.
 * The requests are for any port ({@link ProbeCommandParser#ANY_PORT}).
 */
public final class ApiSpecRequests {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");
  private static final int MAX_REF_DEPTH = 8;
  /**
   * Values one request's example may have: the depth bound alone lets a schema whose
   * properties refer back to it grow as (properties)^depth, so six such properties in a spec
   * the app serves would exhaust the heap.
   */
  private static final int MAX_EXAMPLE_VALUES = 10_000;

  private final JsonNode root;
  /** Values the example of the request being built may still have. */
  private int exampleValuesLeft;

  private ApiSpecRequests(JsonNode root) {
    this.root = root;
  }

  /**
   * @throws IllegalArgumentException one line saying why the text is not a usable spec
   */
  public static List<HttpProbe> fromText(String text) {
    JsonNode root = read(text);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not an OpenAPI/Swagger document (expected a JSON or YAML object)");
    }
    boolean openapi = root.path("openapi").asText("").startsWith("3.");
    boolean swagger = root.path("swagger").asText("").startsWith("2.");
    if (!openapi && !swagger) {
      throw new IllegalArgumentException("neither OpenAPI 3 ('openapi: 3.x') nor Swagger 2 ('swagger: \"2.0\"')");
    }
    if (!root.path("paths").isObject()) {
      throw new IllegalArgumentException("has no 'paths' object");
    }
    return new ApiSpecRequests(root).requests(openapi ? openapiBase(root) : root.path("basePath").asText(""));
  }

  private static JsonNode read(String text) {
    String t = text.strip();
    // SnakeYAML fails with an IndexOutOfBoundsException on an unpaired high surrogate at the
    // end of its 1024-char buffer; such a char is no text in any encoding, so say that.
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("holds an unpaired UTF-16 surrogate at character " + i);
      }
    }
    try {
      return t.startsWith("{") ? JSON.readTree(t) : YAML.readTree(t);
    } catch (java.io.IOException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalArgumentException("does not parse as " + (t.startsWith("{") ? "JSON" : "YAML") + ": "
          + msg.lines().findFirst().orElse("").strip());
    }
  }

  /** The path part of the first server URL ("https://x/api/v1" or "/api/v1" give "/api/v1"). */
  private static String openapiBase(JsonNode root) {
    String url = root.path("servers").path(0).path("url").asText("");
    if (url.isEmpty()) {
      return "";
    }
    try {
      String path = URI.create(url.replaceAll("\\{[^}]*}", "x")).getPath();
      return path == null ? "" : path;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private List<HttpProbe> requests(String basePath) {
    String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    List<HttpProbe> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = paths.next();
      JsonNode item = deref(entry.getValue(), 0);
      for (String method : METHODS) {
        JsonNode op = item.get(method);
        if (op != null && op.isObject()) {
          out.add(request(base + entry.getKey(), method, item, op));
        }
      }
    }
    return List.copyOf(out);
  }

  private HttpProbe request(String template, String method, JsonNode item, JsonNode op) {
    exampleValuesLeft = MAX_EXAMPLE_VALUES;
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (JsonNode list : List.of(item.path("parameters"), op.path("parameters"))) {
      for (JsonNode raw : list) {
        JsonNode p = deref(raw, 0);
        params.put(p.path("in").asText() + ":" + p.path("name").asText(), p); // operation overrides path item
      }
    }
    String path = template;
    List<String> query = new ArrayList<>();
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = new byte[0];
    for (JsonNode p : params.values()) {
      String in = p.path("in").asText();
      String name = p.path("name").asText();
      switch (in) {
        case "path" -> path = path.replace("{" + name + "}", encode(scalar(value(p))));
        case "query" -> {
          JsonNode v = givenValue(p);
          if (v == null && p.path("required").asBoolean(false)) {
            v = value(p);
          }
          if (v != null) {
            query.add(encode(name) + "=" + encode(scalar(v)));
          }
        }
        case "body" -> { // Swagger 2
          body = JSON.valueToTree(example(p.path("schema"), 0)).toString().getBytes(StandardCharsets.UTF_8);
          headers.put("Content-Type", "application/json");
        }
        default -> { } // header and cookie parameters: the app's defaults are fine
      }
    }
    JsonNode content = deref(op.path("requestBody"), 0).path("content");
    for (Iterator<String> types = content.fieldNames(); types.hasNext(); ) {
      String type = types.next();
      if (type.toLowerCase(Locale.ROOT).contains("json")) {
        JsonNode media = content.get(type);
        JsonNode v = media.has("example") ? media.get("example") : example(media.path("schema"), 0);
        body = v.toString().getBytes(StandardCharsets.UTF_8);
        headers.put("Content-Type", type);
        break;
      }
    }
    path = path.replaceAll("\\{[^}/]*}", "1"); // a template variable the spec did not declare
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    String target = query.isEmpty() ? path : path + "?" + String.join("&", query);
    return new HttpProbe(HttpProtocol.AUTO, method.toUpperCase(Locale.ROOT), target, ProbeCommandParser.ANY_PORT,
        headers, HttpBody.of(body));
  }

  /** The parameter's own value from the spec, or null. */
  private JsonNode givenValue(JsonNode p) {
    if (p.has("example")) {
      return p.get("example");
    }
    JsonNode examples = p.path("examples");
    if (examples.isObject() && examples.size() > 0) {
      JsonNode first = deref(examples.elements().next(), 0);
      if (first.has("value")) {
        return first.get("value");
      }
    }
    JsonNode schema = p.has("schema") ? deref(p.get("schema"), 0) : p; // Swagger 2 puts type on the parameter
    for (String f : List.of("example", "default")) {
      if (schema.has(f)) {
        return schema.get(f);
      }
    }
    if (schema.path("enum").isArray() && schema.path("enum").size() > 0) {
      return schema.path("enum").get(0);
    }
    return null;
  }

  private JsonNode value(JsonNode p) {
    JsonNode given = givenValue(p);
    return given != null ? given : example(p.has("schema") ? p.get("schema") : p, 0);
  }

  /** A value that fits {@code schema}: its example, default or first enum value, else by type. */
  JsonNode example(JsonNode rawSchema, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (depth > MAX_REF_DEPTH || exampleValuesLeft <= 0) {
      return f.nullNode();
    }
    exampleValuesLeft--;
    JsonNode schema = deref(rawSchema, 0);
    for (String field : List.of("example", "default")) {
      if (schema.has(field)) {
        return schema.get(field);
      }
    }
    if (schema.path("enum").isArray() && schema.path("enum").size() > 0) {
      return schema.path("enum").get(0);
    }
    for (String combo : List.of("allOf", "oneOf", "anyOf")) {
      JsonNode parts = schema.path(combo);
      if (parts.isArray() && parts.size() > 0) {
        if (!combo.equals("allOf")) {
          return example(parts.get(0), depth + 1);
        }
        ObjectNode merged = f.objectNode();
        for (JsonNode part : parts) {
          JsonNode v = example(part, depth + 1);
          if (v.isObject()) {
            merged.setAll((ObjectNode) v);
          }
        }
        return merged;
      }
    }
    String type = schema.path("type").isArray() ? schema.path("type").path(0).asText("")
        : schema.path("type").asText(schema.has("properties") ? "object" : "");
    switch (type) {
      case "integer": {
        long v = Math.max(1, schema.path("minimum").asLong(1)); // ids usually start at 1
        return f.numberNode(schema.has("maximum") ? Math.min(v, schema.get("maximum").asLong()) : v);
      }
      case "number":
        return f.numberNode(schema.has("minimum") ? schema.get("minimum").asDouble() : 1.5);
      case "boolean":
        return f.booleanNode(true);
      case "array": {
        ArrayNode a = f.arrayNode();
        a.add(example(schema.path("items"), depth + 1));
        return a;
      }
      case "object": {
        ObjectNode o = f.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          o.set(e.getKey(), example(e.getValue(), depth + 1));
        }
        return o;
      }
      default:
        return f.textNode(stringFor(schema.path("format").asText("")));
    }
  }

  private static String stringFor(String format) {
    return switch (format) {
      case "date" -> "2024-01-01";
      case "date-time" -> "2024-01-01T00:00:00Z";
      case "uuid" -> "00000000-0000-4000-8000-000000000001";
      case "email" -> "user@example.com";
      case "uri", "url" -> "http://localhost/";
      case "byte" -> "ZXhhbXBsZQ==";
      default -> "example";
    };
  }

  /** Follows local {@code $ref}s; an unresolvable one gives an empty object. */
  private JsonNode deref(JsonNode node, int depth) {
    Set<String> seen = new HashSet<>();
    JsonNode n = node;
    while (n != null && n.has("$ref") && depth < MAX_REF_DEPTH) {
      String ref = n.get("$ref").asText();
      if (!ref.startsWith("#/") || !seen.add(ref)) {
        return JsonNodeFactory.instance.objectNode();
      }
      n = root.at(ref.substring(1)); // a JSON pointer; Jackson undoes ~0 and ~1
      depth++;
    }
    return n == null || n.isMissingNode() ? JsonNodeFactory.instance.objectNode() : n;
  }

  private static String scalar(JsonNode v) {
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(e -> parts.add(scalar(e)));
      return String.join(",", parts);
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
