package io.minify.probe.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.probe.HttpBody;
import io.minify.probe.HttpProbe;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.ProbeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code --http-probe-cmd-file}: a JSON document with full requests, either
 * {@code {"probes": [ ... ]}} or a bare array. Each probe:
 * <pre>
 * {"method": "POST", "path": "/echo", "port": 8080, "protocol": "http",
 *  "headers": {"Content-Type": "text/plain"}, "body": "hi" | "bodyFile": "body.json",
 *  "basicAuth": {"username": "u", "password": "p"}, "expectStatus": 200}
 * </pre>
 * Only {@code path} is required. Unknown fields are errors (a typo such as "heders" would
 * otherwise silently send a different request). {@code bodyFile} is relative to the probe
 * file's directory.
 */
public final class ProbeFileParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("method", "path", "port", "protocol", "headers", "body",
      "bodyFile", "basicAuth", "expectStatus");

  private ProbeFileParser() {}

  /** @throws IllegalArgumentException one line naming the file and the bad part */
  public static List<PlannedProbe> parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read probe file " + file + ": " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      return parse(text, dir);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("probe file " + file + ": " + e.getMessage());
    }
  }

  /** Parses the document; {@code baseDir} resolves {@code bodyFile}. */
  public static List<PlannedProbe> parse(String text, Path baseDir) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    }
    JsonNode probes = root != null && root.isObject() ? root.get("probes") : root;
    if (probes == null || !probes.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of probes or {\"probes\": [...]}");
    }
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("holds no probes");
    }
    List<PlannedProbe> out = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      String where = "probes[" + i + "]";
      JsonNode p = probes.get(i);
      if (!p.isObject()) {
        throw new IllegalArgumentException(where + " is not an object");
      }
      out.add(probe(p, where, baseDir));
    }
    return List.copyOf(out);
  }

  private static PlannedProbe probe(JsonNode p, String where, Path baseDir) {
    for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(where + ": unknown field '" + name + "' (known: " + String.join(", ",
            FIELDS.stream().sorted().toList()) + ")");
      }
    }
    String method = text(p, "method", where, "GET");
    String path = text(p, "path", where, null);
    if (path == null) {
      throw new IllegalArgumentException(where + ": 'path' is required");
    }
    String protocol = text(p, "protocol", where, "");
    // The short form's parser owns the rules for protocol, method and path.
    HttpProbe shortForm;
    try {
      shortForm = ProbeCommandParser.parse((protocol.isEmpty() ? "" : protocol + ":") + method + ":" + path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    int port = ProbeCommandParser.ANY_PORT;
    if (p.has("port")) {
      JsonNode n = p.get("port");
      if (!n.isInt() || n.asInt() < 1 || n.asInt() > 65535) {
        throw new IllegalArgumentException(where + ".port: '" + n + "' is not a TCP port (1-65535)");
      }
      port = n.asInt();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (p.has("headers")) {
      JsonNode h = p.get("headers");
      if (!h.isObject()) {
        throw new IllegalArgumentException(where + ".headers must be an object of name: value");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new IllegalArgumentException(where + ".headers." + e.getKey() + " must be a string");
        }
        if (e.getKey().isBlank() || e.getKey().chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 0x7f)) {
          throw new IllegalArgumentException(where + ".headers: '" + e.getKey() + "' is not a header name");
        }
        String value = e.getValue().asText();
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          throw new IllegalArgumentException(where + ".headers." + e.getKey()
              + ": the value holds a CR, LF or NUL (a header value is one line)");
        }
        headers.put(e.getKey(), value);
      }
    }
    if (p.has("basicAuth")) {
      JsonNode a = p.get("basicAuth");
      if (!a.isObject() || !a.path("username").isTextual() || !a.path("password").isTextual()) {
        throw new IllegalArgumentException(where + ".basicAuth must be {\"username\": ..., \"password\": ...}");
      }
      String pair = a.get("username").asText() + ":" + a.get("password").asText();
      headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    if (p.has("body") && p.has("bodyFile")) {
      throw new IllegalArgumentException(where + ": 'body' and 'bodyFile' exclude each other");
    }
    byte[] body = new byte[0];
    if (p.has("body")) {
      JsonNode b = p.get("body");
      // a JSON value is sent as JSON, a string as is
      body = (b.isTextual() ? b.asText() : b.toString()).getBytes(StandardCharsets.UTF_8);
      if (!b.isTextual()) {
        headers.putIfAbsent("Content-Type", "application/json");
      }
    } else if (p.has("bodyFile")) {
      String name = text(p, "bodyFile", where, null);
      Path f = baseDir == null ? Path.of(name) : baseDir.resolve(name);
      try {
        body = Files.readAllBytes(f);
      } catch (IOException e) {
        throw new IllegalArgumentException(where + ".bodyFile: cannot read " + f + " (" + e.getClass().getSimpleName()
            + ")");
      }
    }
    int expect = PlannedProbe.ANY_STATUS;
    if (p.has("expectStatus")) {
      JsonNode n = p.get("expectStatus");
      if (!n.isInt() || n.asInt() < 100 || n.asInt() > 599) {
        throw new IllegalArgumentException(where + ".expectStatus: '" + n + "' is not an HTTP status (100-599)");
      }
      expect = n.asInt();
    }
    HttpProbe probe = new HttpProbe(shortForm.protocol(), shortForm.method().toUpperCase(Locale.ROOT),
        shortForm.path(), port, headers, HttpBody.of(body));
    return new PlannedProbe(probe, ProbeSource.FILE, expect);
  }

  private static String text(JsonNode p, String field, String where, String fallback) {
    JsonNode n = p.get(field);
    if (n == null) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + " must be a string, not " + n);
    }
    return n.asText();
  }
}
