package io.minify.cli;

import static io.minify.cli.ImageConfigOptions.each;
import static io.minify.cli.ImageConfigOptions.error;
import static io.minify.cli.ImageConfigOptions.one;

import io.minify.pipeline.BuildOptions;
import io.minify.engine.ContainerSpec;
import io.minify.pack.ConfigChanges;
import io.minify.run.RunSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the temporary containers (the watched original and the verified slim one) run. None of
 * this reaches the slim image's config: that is ImageConfigOptions.
 */
final class RunOptions {

  @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Set an env variable in the containers, repeatable.")
  List<String> env = new ArrayList<>();

  @Option(names = "--env-file", paramLabel = "FILE",
      description = "Read KEY=VALUE lines (blank and #-lines skipped) into the containers' env, repeatable;"
          + " --env wins.")
  List<Path> envFiles = new ArrayList<>();

  @Option(names = "--mount", paramLabel = "type=bind|volume,source=S,target=T[,readonly]",
      description = "Mount a host path or a volume into the containers, repeatable.")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--network", paramLabel = "NAME", description = "Network the containers join (default: bridge).")
  String network;

  @Option(names = "--entrypoint", paramLabel = "CMD",
      description = "Run this instead of the image's ENTRYPOINT (JSON array or words); drops CMD unless --cmd is given.")
  String entrypoint;

  @Option(names = "--cmd", paramLabel = "CMD", description = "Run with this CMD (JSON array or words).")
  String cmd;

  @Option(names = "--workdir", paramLabel = "DIR", description = "Working directory of the containers (absolute).")
  String workdir;

  @Option(names = "--user", paramLabel = "USER[:GROUP]", description = "User the containers run as.")
  String user;

  @Option(names = "--expose", paramLabel = "PORT", description = "Also publish and probe this TCP port, repeatable.")
  List<String> expose = new ArrayList<>();

  @Option(names = "--publish-port", paramLabel = "HOST:CONTAINER",
      description = "Publish the container's TCP port on 127.0.0.1:HOST (never on other addresses), repeatable.")
  List<String> publish = new ArrayList<>();

  void validate(CommandLine line) {
    toSettings(line);
  }

  BuildOptions.Builder applyTo(BuildOptions.Builder options) {
    return options.run(toSettings(null));
  }

  private RunSettings toSettings(CommandLine line) {
    List<String> allEnv = new ArrayList<>();
    for (Path file : envFiles) {
      allEnv.addAll(readEnvFile(line, file));
    }
    allEnv.addAll(each(line, "--env", env, RunOptions::keyValue));
    List<ContainerSpec.Mount> parsedMounts = new ArrayList<>();
    each(line, "--mount", mounts, m -> {
      ContainerSpec.Mount mount = ContainerSpec.Mount.parse(m, Path.of("").toAbsolutePath());
      if (!mount.volume() && !Files.exists(Path.of(mount.source()))) {
        throw new IllegalArgumentException("the bind source " + mount.source() + " does not exist");
      }
      parsedMounts.add(mount);
      return m;
    });
    if (network != null && (network.isBlank() || network.equals("host") || network.equals("none")
        || network.startsWith("container:"))) {
      throw error(line, "--network " + network + ": minify reaches the app only through ports published on"
          + " 127.0.0.1, so the network must be a bridge-like network by name");
    }
    List<String> newEntrypoint = entrypoint == null ? null : one(line, "--entrypoint", () -> {
      List<String> c = ConfigChanges.parseCommand(entrypoint);
      if (c.isEmpty()) {
        throw new IllegalArgumentException("the entrypoint must not be empty");
      }
      return c;
    });
    List<String> newCmd = cmd == null ? null : one(line, "--cmd", () -> ConfigChanges.parseCommand(cmd));
    String dir = workdir == null ? null : one(line, "--workdir", () -> ConfigChanges.parseAbsolutePath(workdir));
    if (user != null && user.isBlank()) {
      throw error(line, "--user: the user must not be empty");
    }
    List<Integer> ports = each(line, "--expose", expose, RunOptions::tcpPort).stream().map(Integer::valueOf).toList();
    Map<Integer, Integer> fixed = new LinkedHashMap<>();
    each(line, "--publish-port", publish, p -> {
      String[] parts = p.split(":");
      if (parts.length == 3 && !parts[0].equals("127.0.0.1")) {
        throw new IllegalArgumentException("'" + p + "': ports are published on 127.0.0.1 only");
      }
      if (parts.length < 2 || parts.length > 3) {
        throw new IllegalArgumentException("'" + p + "' is not HOST:CONTAINER");
      }
      int host = Integer.parseInt(tcpPort(parts[parts.length - 2]));
      int container = Integer.parseInt(tcpPort(parts[parts.length - 1]));
      if (fixed.containsValue(host) || fixed.put(container, host) != null) {
        throw new IllegalArgumentException("'" + p + "' publishes a port that is already published");
      }
      return p;
    });
    return new RunSettings(allEnv, parsedMounts, network, newEntrypoint, newCmd, dir, user, ports, fixed);
  }

  private static String keyValue(String kv) {
    ConfigChanges.parseKeyValue(kv);
    return kv;
  }

  /** A TCP port number; "/tcp" is allowed, other protocols cannot be probed. */
  private static String tcpPort(String p) {
    String normalized = ConfigChanges.parsePort(p);
    if (!normalized.endsWith("/tcp")) {
      throw new IllegalArgumentException("'" + p + "' is not a TCP port (only TCP ports can be probed)");
    }
    return normalized.substring(0, normalized.indexOf('/'));
  }

  private static List<String> readEnvFile(CommandLine line, Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw error(line, "--env-file " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return envFileEntries(lines);
    } catch (IllegalArgumentException e) {
      throw error(line, "--env-file " + file + " " + e.getMessage());
    }
  }

  /**
   * The KEY=VALUE entries of an env file's lines, blank and #-lines skipped.
   *
   * @throws IllegalArgumentException "line N: why" for the first bad line
   */
  static List<String> envFileEntries(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        out.add(keyValue(lines.get(i).stripLeading()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
