package io.minify.cli;

import io.minify.pipeline.BuildOptions;
import io.minify.pack.ConfigChanges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Changes to the slim image's config; the temporary containers are not affected (see RunOptions). */
final class ImageConfigOptions {

  @Option(names = "--new-entrypoint", paramLabel = "CMD",
      description = {"New ENTRYPOINT: a JSON array (['/bin/app','-v']) or words.",
          "Words are split and unquoted as a shell does, with nothing expanded.",
          "It clears CMD unless --new-cmd is given."})
  String entrypoint;

  @Option(names = "--new-cmd", paramLabel = "CMD", description = {"New CMD: a JSON array or words, as for --new-entrypoint.", "An empty array, '[]', clears it."})
  String cmd;

  @Option(names = "--new-env", paramLabel = "KEY=VALUE", description = "Set an ENV variable, repeatable.")
  List<String> env = new ArrayList<>();

  @Option(names = "--new-workdir", paramLabel = "DIR", description = "New WORKDIR (absolute).")
  String workdir;

  @Option(names = "--new-user", paramLabel = "USER[:GROUP]", description = "New USER.")
  String user;

  @Option(names = "--new-expose", paramLabel = "PORT[/PROTO]", description = "Expose a port, repeatable.")
  List<String> expose = new ArrayList<>();

  @Option(names = "--new-label", paramLabel = "KEY=VALUE", description = "Set a LABEL, repeatable.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--new-volume", paramLabel = "PATH", description = "Declare a VOLUME (absolute), repeatable.")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--remove-env", paramLabel = "KEY", description = "Drop an ENV variable, repeatable.")
  List<String> removeEnv = new ArrayList<>();

  @Option(names = "--remove-label", paramLabel = "KEY", description = "Drop a LABEL, repeatable.")
  List<String> removeLabels = new ArrayList<>();

  @Option(names = "--remove-expose", paramLabel = "PORT[/PROTO]", description = "Drop an exposed port, repeatable.")
  List<String> removeExpose = new ArrayList<>();

  @Option(names = "--remove-volume", paramLabel = "PATH", description = "Drop a declared VOLUME, repeatable.")
  List<String> removeVolumes = new ArrayList<>();

  /** Made by {@link #validate} from the given values, once. */
  private ConfigChanges changes;

  /** Parses every value; the first bad one becomes a one-line error naming its option. */
  void validate(CommandLine line) {
    changes = toChanges(line);
  }

  /** @throws IllegalStateException before {@link #validate} */
  BuildOptions.Builder applyTo(BuildOptions.Builder options) {
    if (changes == null) {
      throw new IllegalStateException("ImageConfigOptions.validate() was not called");
    }
    return options.config(changes);
  }

  private ConfigChanges toChanges(CommandLine line) {
    List<String> newEnv = each(line, "--new-env", env, kv -> {
      ConfigChanges.parseKeyValue(kv);
      return kv;
    });
    Map<String, String> newLabels = new LinkedHashMap<>();
    each(line, "--new-label", labels, kv -> {
      String[] parts = ConfigChanges.parseKeyValue(kv);
      newLabels.put(parts[0], parts[1]);
      return kv;
    });
    List<String> newEntrypoint = entrypoint == null ? null
        : one(line, "--new-entrypoint", () -> ConfigChanges.parseEntrypoint(entrypoint));
    List<String> newCmd = cmd == null ? null : one(line, "--new-cmd", () -> ConfigChanges.parseCommand(cmd));
    String newWorkdir = workdir == null ? null
        : one(line, "--new-workdir", () -> ConfigChanges.parseAbsolutePath(workdir));
    if (user != null && user.isBlank()) {
      throw error(line, "--new-user: the user must not be empty");
    }
    return new ConfigChanges(newEntrypoint, newCmd, newWorkdir, user, newEnv, newLabels,
        each(line, "--new-expose", expose, ConfigChanges::parsePort),
        each(line, "--new-volume", volumes, ConfigChanges::parseAbsolutePath),
        each(line, "--remove-env", removeEnv, ImageConfigOptions::name),
        each(line, "--remove-label", removeLabels, ImageConfigOptions::name),
        each(line, "--remove-expose", removeExpose, ConfigChanges::parsePort),
        each(line, "--remove-volume", removeVolumes, ConfigChanges::parseAbsolutePath));
  }

  private static String name(String key) {
    if (key.isEmpty() || key.contains("=")) {
      throw new IllegalArgumentException("'" + key + "' is not a name (give the name only, without '=')");
    }
    return key;
  }

  static List<String> each(CommandLine line, String option, List<String> values, UnaryOperator<String> parse) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      try {
        out.add(parse.apply(v));
      } catch (IllegalArgumentException e) {
        throw error(line, option + ": " + e.getMessage());
      }
    }
    return out;
  }

  static <T> T one(CommandLine line, String option, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw error(line, option + ": " + e.getMessage());
    }
  }

  static RuntimeException error(CommandLine line, String message) {
    return new CommandLine.ParameterException(line, message);
  }
}
