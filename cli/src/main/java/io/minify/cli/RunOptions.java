package io.minify.cli;

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

  @Option(names = "--env", paramLabel = "KEY=VALUE", converter = KeyValue.class,
      description = "Set an env variable in the containers, repeatable.")
  List<String> env = new ArrayList<>();

  @Option(names = "--env-file", paramLabel = "FILE",
      description = {"Read KEY=VALUE lines (blank and #-lines skipped) into the containers' env, repeatable.",
          "--env wins."})
  List<Path> envFiles = new ArrayList<>();

  @Option(names = "--mount", paramLabel = "type=bind|volume,source=S,target=T[,readonly]", converter = MountSpec.class,
      description = "Mount a host path or a volume into the containers, repeatable.")
  List<ContainerSpec.Mount> mounts = new ArrayList<>();

  @Option(names = "--network", paramLabel = "NAME", converter = NetworkName.class,
      description = "The network the containers join (default: bridge).")
  String network;

  @Option(names = "--entrypoint", paramLabel = "CMD",
      description = {"Run this instead of the image's ENTRYPOINT (a JSON array or words).",
          "Words are split and unquoted as a shell does, with nothing expanded.",
          "It drops CMD unless --cmd is given."})
  String entrypoint;

  @Option(names = "--cmd", paramLabel = "CMD", description = "Run with this CMD (a JSON array or words, as for --entrypoint).")
  String cmd;

  @Option(names = "--workdir", paramLabel = "DIR", converter = AbsolutePath.class,
      description = "The working directory of the containers (absolute).")
  String workdir;

  @Option(names = "--user", paramLabel = "USER[:GROUP]", converter = UserName.class,
      description = "The user the containers run as.")
  String user;

  @Option(names = "--expose", paramLabel = "PORT", converter = TcpPort.class,
      description = "Also publish and probe this TCP port, repeatable.")
  List<Integer> expose = new ArrayList<>();

  @Option(names = "--publish-port", paramLabel = "HOST:CONTAINER", converter = PublishedPort.class,
      description = "Publish the container's TCP port on 127.0.0.1:HOST (never on other addresses), repeatable.")
  List<Published> publish = new ArrayList<>();

  /** Made by {@link #validate} from the converted values and the env files, once. */
  private RunSettings settings;

  /** Reads the env files and checks what spans values; a bad one is a one-line error naming its option. */
  void validate(CommandLine line) {
    List<String> allEnv = new ArrayList<>();
    for (Path file : envFiles) {
      allEnv.addAll(readEnvFile(line, file));
    }
    allEnv.addAll(env);
    List<String> newEntrypoint = entrypoint == null ? null
        : one(line, "--entrypoint", () -> ConfigChanges.parseEntrypoint(entrypoint));
    List<String> newCmd = cmd == null ? null : one(line, "--cmd", () -> ConfigChanges.parseCommand(cmd));
    Map<Integer, Integer> fixed = new LinkedHashMap<>();
    for (Published p : publish) {
      if (fixed.containsValue(p.host()) || fixed.put(p.container(), p.host()) != null) {
        throw error(line, "--publish-port: '" + p.given() + "' publishes a port that is already published");
      }
    }
    settings = new RunSettings(allEnv, mounts, network, newEntrypoint, newCmd, workdir, user, expose, fixed);
  }

  /** @throws IllegalStateException before {@link #validate} */
  BuildOptions.Builder applyTo(BuildOptions.Builder options) {
    if (settings == null) {
      throw new IllegalStateException("RunOptions.validate() was not called");
    }
    return options.run(settings);
  }

  /** One {@code --publish-port}: as given, and its two ports. */
  record Published(String given, int host, int container) {}

  static final class KeyValue implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String kv) {
      try {
        return keyValue(kv);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  /** A bind source is resolved against the working directory, and must exist. */
  static final class MountSpec implements CommandLine.ITypeConverter<ContainerSpec.Mount> {
    @Override
    public ContainerSpec.Mount convert(String spec) {
      try {
        ContainerSpec.Mount mount = ContainerSpec.Mount.parse(spec, Path.of("").toAbsolutePath());
        if (!mount.volume() && !Files.exists(Path.of(mount.source()))) {
          throw new IllegalArgumentException("the bind source " + mount.source() + " does not exist");
        }
        return mount;
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  /** minify reaches the app through ports published on 127.0.0.1: the network must be a bridge-like one. */
  static final class NetworkName implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String network) {
      if (network.isBlank() || network.equals("host") || network.equals("none") || network.startsWith("container:")) {
        throw BadValue.of(network, "minify reaches the app only through ports published on 127.0.0.1, so the"
            + " network must be a bridge-like network by name");
      }
      return network;
    }
  }

  static final class AbsolutePath implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String path) {
      try {
        return ConfigChanges.parseAbsolutePath(path);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  static final class UserName implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String user) {
      if (user.isBlank()) {
        throw BadValue.because("the user must not be empty");
      }
      return user;
    }
  }

  static final class TcpPort implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String port) {
      try {
        return tcpPort(port);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  /** HOST:CONTAINER, or 127.0.0.1:HOST:CONTAINER. */
  static final class PublishedPort implements CommandLine.ITypeConverter<Published> {
    @Override
    public Published convert(String p) {
      try {
        String[] parts = p.split(":");
        if (parts.length == 3 && !parts[0].equals("127.0.0.1")) {
          throw new IllegalArgumentException("'" + p + "': ports are published on 127.0.0.1 only");
        }
        if (parts.length < 2 || parts.length > 3) {
          throw new IllegalArgumentException("'" + p + "' is not HOST:CONTAINER");
        }
        return new Published(p, tcpPort(parts[parts.length - 2]), tcpPort(parts[parts.length - 1]));
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  private static String keyValue(String kv) {
    ConfigChanges.parseKeyValue(kv);
    return kv;
  }

  /** A TCP port number; "/tcp" is allowed, other protocols cannot be probed. */
  private static int tcpPort(String p) {
    String normalized = ConfigChanges.parsePort(p);
    if (!normalized.endsWith("/tcp")) {
      throw new IllegalArgumentException("'" + p + "' is not a TCP port (only TCP ports can be probed)");
    }
    return Integer.parseInt(normalized.substring(0, normalized.indexOf('/')));
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
