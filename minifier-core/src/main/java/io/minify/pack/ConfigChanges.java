package io.minify.pack;

import io.minify.digest.Digest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.shell.ShellWords;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Changes to the slim image's config (the {@code config} object of the image config JSON).
 * Every field left null/empty keeps the original; {@link #none()} changes nothing but the
 * provenance labels every slim image carries ({@link #SOURCE_IMAGE_LABEL},
 * {@link #VERSION_LABEL}).
 *
 * <p>Order of application: removals, then additions, then the provenance labels. A removal
 * of something the image does not have is not an error (the same flags work on every
 * version of an image). Setting an entrypoint without a cmd clears the cmd, as a
 * Dockerfile {@code ENTRYPOINT} does: the old cmd was arguments for the old entrypoint.
 *
 * @param entrypoint   new Entrypoint; null keeps it, empty clears it
 * @param cmd          new Cmd; null keeps it (unless {@code entrypoint} is set), empty clears it
 * @param workingDir   new WorkingDir (absolute); null keeps it
 * @param user         new User; null keeps it
 * @param env          "KEY=VALUE" to set; an existing KEY is replaced where it stands
 * @param labels       labels to set
 * @param exposedPorts ports to expose, normalized "PORT/PROTO"
 * @param volumes      volume paths to declare (absolute)
 * @param removeEnv    env variable names to drop
 * @param removeLabels label keys to drop
 * @param removePorts  exposed ports to drop, normalized "PORT/PROTO"
 * @param removeVolumes volume paths to drop
 */
public record ConfigChanges(
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    List<String> env,
    Map<String, String> labels,
    List<String> exposedPorts,
    List<String> volumes,
    List<String> removeEnv,
    List<String> removeLabels,
    List<String> removePorts,
    List<String> removeVolumes) {

  /** The id of the image the slim image was made from. */
  public static final String SOURCE_IMAGE_LABEL = "io.minify.source-image";
  /** The minify version that made the slim image. */
  public static final String VERSION_LABEL = "io.minify.version";

  private static final Pattern ENV_NAME = Pattern.compile("[^=\\s]+");
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:/(tcp|udp|sctp))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  public ConfigChanges {
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = List.copyOf(env);
    // insertion order is kept so two labels given in one order always serialize the same way
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    exposedPorts = List.copyOf(exposedPorts);
    volumes = List.copyOf(volumes);
    removeEnv = List.copyOf(removeEnv);
    removeLabels = List.copyOf(removeLabels);
    removePorts = List.copyOf(removePorts);
    removeVolumes = List.copyOf(removeVolumes);
    for (String kv : env) {
      parseKeyValue(kv);
    }
    if (workingDir != null && !workingDir.startsWith("/")) {
      throw new IllegalArgumentException("'" + workingDir + "' is not an absolute path");
    }
    if (user != null && user.isBlank()) {
      throw new IllegalArgumentException("the user must not be empty");
    }
  }

  public static ConfigChanges none() {
    return new ConfigChanges(null, null, null, null, List.of(), Map.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of());
  }

  /** Whether the slim image runs a different command than the original. */
  public boolean changesCommand() {
    return entrypoint != null || cmd != null;
  }

  /**
   * The changes, plus the provenance labels, as a mutation of the image config JSON
   * (applied before it is hashed, so the image id covers them). No timestamps: the same
   * input keeps giving the same image id.
   */
  public UnaryOperator<ObjectNode> asMutation(Digest sourceImageId, String minifyVersion) {
    return image -> {
      apply(image, sourceImageId, minifyVersion);
      return image;
    };
  }

  private void apply(ObjectNode image, Digest sourceImageId, String minifyVersion) {
    ObjectNode config = image.get("config") instanceof ObjectNode c ? c : image.putObject("config");
    if (entrypoint != null) {
      config.set("Entrypoint", array(entrypoint));
      config.set("Cmd", cmd == null ? NullNode.instance : array(cmd));
    } else if (cmd != null) {
      config.set("Cmd", array(cmd));
    }
    if (workingDir != null) {
      config.put("WorkingDir", workingDir);
    }
    if (user != null) {
      config.put("User", user);
    }
    if (!env.isEmpty() || !removeEnv.isEmpty()) {
      config.set("Env", changedEnv(config.get("Env")));
    }
    if (!exposedPorts.isEmpty() || !removePorts.isEmpty()) {
      config.set("ExposedPorts", changedSet(config.get("ExposedPorts"), exposedPorts, removePorts));
    }
    if (!volumes.isEmpty() || !removeVolumes.isEmpty()) {
      config.set("Volumes", changedSet(config.get("Volumes"), volumes, removeVolumes));
    }
    Map<String, String> newLabels = new LinkedHashMap<>(labels);
    newLabels.put(SOURCE_IMAGE_LABEL, sourceImageId.toString());
    newLabels.put(VERSION_LABEL, minifyVersion);
    config.set("Labels", changedLabels(config.get("Labels"), newLabels));
  }

  private ArrayNode changedEnv(JsonNode original) {
    // names in order of first appearance, each with its last value (Docker's own rule)
    Map<String, String> vars = new LinkedHashMap<>();
    if (original != null) {
      for (JsonNode kv : original) {
        String s = kv.asText();
        int eq = s.indexOf('=');
        vars.put(eq < 0 ? s : s.substring(0, eq), s);
      }
    }
    removeEnv.forEach(vars::remove);
    for (String kv : env) {
      vars.put(kv.substring(0, kv.indexOf('=')), kv);
    }
    return array(new ArrayList<>(vars.values()));
  }

  /** Docker stores ExposedPorts and Volumes as Go maps to {}: sorted keys, like Go writes them. */
  private static JsonNode changedSet(JsonNode original, List<String> add, List<String> remove) {
    Set<String> keys = new TreeSet<>();
    if (original != null) {
      original.fieldNames().forEachRemaining(keys::add);
    }
    keys.removeAll(remove);
    keys.addAll(add);
    if (keys.isEmpty()) {
      return NullNode.instance;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    keys.forEach(out::putObject);
    return out;
  }

  private JsonNode changedLabels(JsonNode original, Map<String, String> add) {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (original != null) {
      original.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    }
    removeLabels.forEach(sorted::remove);
    sorted.putAll(add);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    sorted.forEach(out::put);
    return out;
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  // ---- parsing of the command-line forms; messages name the bad part, the caller adds the option

  /** "KEY=VALUE" (VALUE may be empty or contain '='); returns {KEY, VALUE}. */
  public static String[] parseKeyValue(String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("'" + kv + "' is not KEY=VALUE");
    }
    String key = kv.substring(0, eq);
    if (!ENV_NAME.matcher(key).matches()) {
      throw new IllegalArgumentException("'" + key + "' in '" + kv + "' is not a valid name (no spaces)");
    }
    return new String[] {key, kv.substring(eq + 1)};
  }

  /** "PORT[/tcp|udp|sctp]" normalized to "PORT/PROTO" (tcp by default). */
  public static String parsePort(String port) {
    var m = PORT.matcher(port.trim().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + port + "' is not PORT[/tcp|udp|sctp]");
    }
    int n = Integer.parseInt(m.group(1));
    if (n < 1 || n > 65535) {
      throw new IllegalArgumentException("port " + n + " is not between 1 and 65535");
    }
    return n + "/" + (m.group(2) == null ? "tcp" : m.group(2));
  }

  /** An absolute path inside the image. */
  public static String parseAbsolutePath(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("'" + path + "' is not an absolute path");
    }
    return path;
  }

  /**
   * A command as a JSON array of strings ({@code ["/bin/sh","-c","x y"]}) or as the words a
   * shell would split it into ({@code /server --port 80}, {@code python -c "print(1)"}: see
   * {@link ShellWords}); "" and "[]" are the empty command.
   *
   * @throws IllegalArgumentException naming the value: not an array of strings, or a quote
   *     not closed
   */
  public static List<String> parseCommand(String text) {
    String t = text.strip();
    if (t.startsWith("[")) {
      JsonNode node;
      try {
        node = JSON.readTree(t);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("'" + text + "' is not a JSON array of strings");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          throw new IllegalArgumentException("'" + text + "' is not a JSON array of strings");
        }
        out.add(n.asText());
      }
      return List.copyOf(out);
    }
    return ShellWords.split(t);
  }

  /**
   * An entrypoint as {@link #parseCommand} reads it; unlike a CMD it cannot be empty (the
   * container would have nothing to run).
   *
   * @throws IllegalArgumentException as {@link #parseCommand}, or "the entrypoint must not be empty"
   */
  public static List<String> parseEntrypoint(String text) {
    List<String> command = parseCommand(text);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the entrypoint must not be empty");
    }
    return command;
  }
}
