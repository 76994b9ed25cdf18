package io.minify.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.pack.ConfigChanges;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.ProbeSource;
import io.minify.run.ContinueAfter;
import io.minify.run.ExecCommand;
import io.minify.run.HostExecCommand;
import io.minify.run.ProbeSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario file of {@code minify build --scenarios FILE} (format in the README):
 * {@code {"scenarios": [{"name": "web", "cmd": [...], "env": {...}, "probes": ["GET:/x"], ...}]}}.
 * Every field is checked here, before a container exists, and a field this parser does not know
 * is an error: a misspelt {@code "prob"} would otherwise leave a scenario probing nothing it meant
 * to. Each problem is one line naming the file, the scenario and the field.
 */
public final class ScenarioFile {

  /** The fields of a scenario, in the order the README lists them. */
  static final List<String> FIELDS = List.of("name", "entrypoint", "cmd", "env", "workdir", "user", "httpProbe",
      "probes", "exec", "hostExec", "continueAfter");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ScenarioFile() {}

  /** @throws IllegalArgumentException "FILE: scenario 'web': field 'probes': why", one line */
  public static List<Scenario> parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read it (" + e.getClass().getSimpleName() + ")", e);
    }
    return parse(text, file.toString());
  }

  /** @param origin what the messages call the file */
  static List<Scenario> parse(String text, String origin) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(origin + ": not JSON: " + e.getOriginalMessage().lines().findFirst()
          .orElse("") + " (line " + e.getLocation().getLineNr() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(origin + ": not a JSON object {\"scenarios\": [...]}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("scenarios")) {
        throw new IllegalArgumentException(origin + ": unknown field '" + name + "' (the file holds \"scenarios\" only)");
      }
    }
    JsonNode list = root.get("scenarios");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException(origin + ": \"scenarios\" must be a non-empty array of scenarios");
    }
    List<Scenario> scenarios = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Scenario s = scenario(list.get(i), origin, i + 1);
      Integer earlier = seen.putIfAbsent(s.name(), i + 1);
      if (earlier != null) {
        throw new IllegalArgumentException(origin + ": scenario '" + s.name() + "': field 'name': used by scenario #"
            + earlier + " too (names must be unique)");
      }
      scenarios.add(s);
    }
    return List.copyOf(scenarios);
  }

  private static Scenario scenario(JsonNode node, String origin, int number) {
    String where = origin + ": scenario #" + number;
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": not a JSON object");
    }
    JsonNode nameNode = node.get("name");
    if (nameNode == null || !nameNode.isTextual()) {
      throw new IllegalArgumentException(where + ": field 'name': missing (a string, [a-z0-9-]+)");
    }
    String name = nameNode.asText();
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException(where + ": field 'name': '" + name + "' is not [a-z0-9-]+");
    }
    Fields f = new Fields(origin + ": scenario '" + name + "'", node);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(f.where + ": unknown field '" + field + "' (known: "
            + String.join(", ", FIELDS) + ")");
      }
    }
    return new Scenario(name, f.words("entrypoint", true), f.words("cmd", false), f.env(), f.workdir(),
        f.user(), f.bool("httpProbe"), f.probes(), f.execs(), f.continueAfter(), f.hostExecs());
  }

  /**
   * Whether each scenario's options, the build's with its fields in their place, can drive the
   * app: what the build's own options are checked for, per scenario.
   *
   * @throws IllegalArgumentException "FILE: scenario 'x': field 'f': why"
   */
  public static void check(List<Scenario> scenarios, BuildOptions build, String origin) {
    for (Scenario s : scenarios) {
      String where = origin + ": scenario '" + s.name() + "': field ";
      ProbeSettings p = s.applyTo(build).probing();
      if (p.continueAfter().mode() == ContinueAfter.Mode.EXEC && p.execs().isEmpty()) {
        throw new IllegalArgumentException(where + "'continueAfter': exec, but the scenario has no command to run"
            + " (its 'exec' or the build's --exec)");
      }
      if (p.continueAfter().mode() == ContinueAfter.Mode.HOST_EXEC && p.hostExecs().isEmpty()) {
        throw new IllegalArgumentException(where + "'continueAfter': host-exec, but the scenario has no command to run"
            + " on the host (its 'hostExec' or the build's --host-exec)");
      }
      if (build.output().tracesSyscalls() && !p.execs().isEmpty()) {
        // as the build's own --exec: docker exec runs beside the app, outside the traced process tree
        throw new IllegalArgumentException(where + "'exec': --seccomp-profile records the syscalls of the app's own"
            + " processes, and exec commands run beside them (leave out one of the two)");
      }
      if (!p.http() && !p.httpProbes().isEmpty()) {
        throw new IllegalArgumentException(where + "'probes': HTTP probes need HTTP probing, which "
            + (s.httpProbe() != null ? "its 'httpProbe': false" : "the build's --http-probe-off") + " turns off");
      }
      if (!p.http() && p.tcpProbes().isEmpty() && p.execs().isEmpty() && p.hostExecs().isEmpty()
          && !p.continueAfter().waitsBeyondProbes()) {
        throw new IllegalArgumentException(where + "'httpProbe': false, and nothing else would drive the app; give"
            + " it 'exec', 'hostExec' or 'continueAfter' timeout:N or signal (or the build --tcp-probe)");
      }
    }
  }

  /** The fields of one scenario object, each read and checked with the scenario and field named. */
  private record Fields(String where, JsonNode node) {

    IllegalArgumentException bad(String field, String why) {
      return new IllegalArgumentException(where + ": field '" + field + "': " + why);
    }

    List<String> words(String field, boolean mayBeEmpty) {
      JsonNode n = node.get(field);
      if (n == null) {
        return null;
      }
      List<String> words = strings(field, n);
      if (words.isEmpty() && !mayBeEmpty) {
        throw bad(field, "an empty command");
      }
      return words;
    }

    private List<String> strings(String field, JsonNode n) {
      if (!n.isArray()) {
        throw bad(field, "must be a JSON array of strings, as [\"python3\", \"app.py\"]");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode w : n) {
        if (!w.isTextual()) {
          throw bad(field, "must be a JSON array of strings; " + w + " is not a string");
        }
        out.add(w.asText());
      }
      return out;
    }

    Map<String, String> env() {
      JsonNode n = node.get("env");
      if (n == null) {
        return null;
      }
      if (!n.isObject()) {
        throw bad("env", "must be a JSON object of strings, as {\"MODE\": \"worker\"}");
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw bad("env", "the value of " + e.getKey() + " must be a string");
        }
        try {
          ConfigChanges.parseKeyValue(e.getKey() + "=" + e.getValue().asText());
        } catch (IllegalArgumentException x) {
          throw bad("env", x.getMessage());
        }
        if (e.getKey().contains("=")) {
          throw bad("env", "the name '" + e.getKey() + "' holds '='");
        }
        env.put(e.getKey(), e.getValue().asText());
      }
      return env;
    }

    String workdir() {
      String dir = text("workdir");
      if (dir == null) {
        return null;
      }
      try {
        return ConfigChanges.parseAbsolutePath(dir);
      } catch (IllegalArgumentException e) {
        throw bad("workdir", e.getMessage());
      }
    }

    String user() {
      String user = text("user");
      if (user != null && user.isBlank()) {
        throw bad("user", "must not be empty");
      }
      return user;
    }

    private String text(String field) {
      JsonNode n = node.get(field);
      if (n == null) {
        return null;
      }
      if (!n.isTextual()) {
        throw bad(field, "must be a string");
      }
      return n.asText();
    }

    Boolean bool(String field) {
      JsonNode n = node.get(field);
      if (n == null) {
        return null;
      }
      if (!n.isBoolean()) {
        throw bad(field, "must be true or false");
      }
      return n.asBoolean();
    }

    List<PlannedProbe> probes() {
      JsonNode n = node.get("probes");
      if (n == null) {
        return null;
      }
      List<PlannedProbe> probes = new ArrayList<>();
      for (String p : strings("probes", n)) {
        try {
          probes.add(PlannedProbe.of(ProbeCommandParser.parse(p), ProbeSource.CMD));
        } catch (IllegalArgumentException e) {
          throw bad("probes", e.getMessage());
        }
      }
      return probes;
    }

    /** Each command as {@code --exec} takes it (text through the shell), or a JSON array of its words. */
    /** Shell command lines run on the host, as {@code --host-exec} takes them: one string each. */
    List<HostExecCommand> hostExecs() {
      JsonNode n = node.get("hostExec");
      if (n == null) {
        return null;
      }
      if (!n.isArray()) {
        throw bad("hostExec", "must be a JSON array of command lines (each a string, run by /bin/sh -c on the host)");
      }
      List<HostExecCommand> out = new ArrayList<>();
      for (JsonNode c : n) {
        if (!c.isTextual()) {
          throw bad("hostExec", c + " is not a string (a command line, run by /bin/sh -c on the host)");
        }
        try {
          out.add(HostExecCommand.parse(c.asText()));
        } catch (IllegalArgumentException e) {
          throw bad("hostExec", e.getMessage());
        }
      }
      return out;
    }

    List<ExecCommand> execs() {
      JsonNode n = node.get("exec");
      if (n == null) {
        return null;
      }
      if (!n.isArray()) {
        throw bad("exec", "must be a JSON array of commands (each a string, or an array of strings)");
      }
      List<ExecCommand> out = new ArrayList<>();
      for (JsonNode c : n) {
        try {
          if (c.isTextual()) {
            out.add(ExecCommand.parse(c.asText()));
          } else if (c.isArray()) {
            List<String> argv = strings("exec", c);
            if (argv.isEmpty()) {
              throw new IllegalArgumentException("empty command");
            }
            out.add(new ExecCommand(c.toString(), argv));
          } else {
            throw new IllegalArgumentException(c + " is neither a string nor an array of strings");
          }
        } catch (IllegalArgumentException e) {
          if (e.getMessage().startsWith(where)) {
            throw e;
          }
          throw bad("exec", e.getMessage());
        }
      }
      return out;
    }

    ContinueAfter continueAfter() {
      String mode = text("continueAfter");
      if (mode == null) {
        return null;
      }
      try {
        return ContinueAfter.parse(mode);
      } catch (IllegalArgumentException e) {
        throw bad("continueAfter", e.getMessage());
      }
    }
  }
}
