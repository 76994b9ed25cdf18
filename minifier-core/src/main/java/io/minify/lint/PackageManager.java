package io.minify.lint;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The package managers whose downloads stay in a layer unless the same {@code RUN} removes
 * them: which commands fill their cache, which options keep it empty, which commands remove
 * it, and where a BuildKit cache mount keeps it out of the image.
 */
public enum PackageManager {
  APT("apt", "the package lists and .deb files of apt (/var/lib/apt/lists, /var/cache/apt)",
      "end the same RUN with && rm -rf /var/lib/apt/lists/*",
      List.of("/var/lib/apt", "/var/cache/apt")),
  APK("apk", "the package index of apk (/var/cache/apk)", "use apk add --no-cache",
      List.of("/var/cache/apk", "/etc/apk/cache")),
  PIP("pip", "the wheel and HTTP cache of pip (/root/.cache/pip)",
      "use pip install --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1)", List.of("/root/.cache/pip", "/root/.cache")),
  NPM("npm", "the npm cache (/root/.npm)", "end the same RUN with && npm cache clean --force",
      List.of("/root/.npm", "~/.npm")),
  YARN("yarn", "the yarn cache (/usr/local/share/.cache/yarn)", "end the same RUN with && yarn cache clean",
      List.of("/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn")),
  DNF("dnf/yum", "the metadata and packages of dnf/yum (/var/cache/dnf, /var/cache/yum)",
      "end the same RUN with && dnf clean all (yum clean all)", List.of("/var/cache/dnf", "/var/cache/yum"));

  private final String label;
  private final String cache;
  private final String removal;
  private final List<String> cacheDirectories;

  PackageManager(String label, String cache, String removal, List<String> cacheDirectories) {
    this.label = label;
    this.cache = cache;
    this.removal = removal;
    this.cacheDirectories = cacheDirectories;
  }

  public String label() {
    return label;
  }

  /** What the cache is, for a reason. */
  public String cache() {
    return cache;
  }

  /** How to remove it in the same RUN, for a fix. */
  public String removal() {
    return removal;
  }

  /** The first directory a cache mount would hold, for a fix. */
  public String cacheMountTarget() {
    return cacheDirectories.get(0);
  }

  private static final Set<String> PIPS = Set.of("pip", "pip3", "pip2");
  private static final Set<String> PYTHONS = Set.of("python", "python3", "python2");

  /** Whether {@code command} downloads into this manager's cache. */
  public boolean fills(ShellCommand command) {
    String sub = command.subcommand();
    return switch (this) {
      case APT -> (command.program().equals("apt-get") || command.program().equals("apt"))
          && Set.of("update", "install", "upgrade", "dist-upgrade", "full-upgrade").contains(sub);
      case APK -> command.program().equals("apk") && (sub.equals("add") || sub.equals("update")
          || sub.equals("upgrade"));
      case PIP -> pipInstall(command);
      case NPM -> command.program().equals("npm") && Set.of("install", "i", "ci", "add").contains(sub);
      case YARN -> command.program().equals("yarn") && (sub.isEmpty() || sub.equals("install") || sub.equals("add"));
      case DNF -> Set.of("dnf", "yum", "microdnf").contains(command.program())
          && Set.of("install", "update", "upgrade", "makecache", "reinstall").contains(sub);
    };
  }

  /** Whether {@code command}, which fills the cache, is told not to keep it. */
  public boolean keepsNoCache(ShellCommand command, Map<String, String> environment) {
    return switch (this) {
      case APK -> command.hasArgument("--no-cache");
      case PIP -> command.hasArgument("--no-cache-dir") || noCacheDir(command.assignments())
          || noCacheDir(environment);
      case NPM, YARN, APT, DNF -> false;
    };
  }

  /** Whether {@code command} removes this manager's cache. */
  public boolean removes(ShellCommand command) {
    String program = command.program();
    String sub = command.subcommand();
    return switch (this) {
      case APT -> program.equals("rm") && command.hasArgumentStarting("/var/lib/apt/lists");
      case APK -> program.equals("rm") && command.hasArgumentStarting("/var/cache/apk")
          || program.equals("apk") && sub.equals("cache") && command.hasArgument("clean");
      case PIP -> program.equals("rm") && (command.hasArgumentStarting("/root/.cache")
          || command.hasArgumentStarting("~/.cache"))
          || PIPS.contains(program) && sub.equals("cache") && command.hasArgument("purge");
      case NPM -> program.equals("npm") && sub.equals("cache") && command.hasArgument("clean")
          || program.equals("rm") && (command.hasArgumentStarting("/root/.npm") || command.hasArgumentStarting("~/.npm"));
      case YARN -> program.equals("yarn") && sub.equals("cache") && command.hasArgument("clean");
      case DNF -> Set.of("dnf", "yum", "microdnf").contains(program) && sub.equals("clean")
          || program.equals("rm") && (command.hasArgumentStarting("/var/cache/dnf")
          || command.hasArgumentStarting("/var/cache/yum"));
    };
  }

  /** Whether a cache mount at {@code target} holds this manager's cache. */
  public boolean mountedAt(String target) {
    String t = target.endsWith("/") && target.length() > 1 ? target.substring(0, target.length() - 1) : target;
    return cacheDirectories.stream().anyMatch(dir -> t.equals(dir) || t.startsWith(dir + "/") || dir.startsWith(t + "/"));
  }

  private static boolean pipInstall(ShellCommand command) {
    List<String> args = command.arguments();
    if (PIPS.contains(command.program())) {
      return command.subcommand().equals("install");
    }
    if (PYTHONS.contains(command.program()) || command.program().matches("python3\\.[0-9]+")) {
      int m = args.indexOf("-m");
      return m >= 0 && m + 2 < args.size() && PIPS.contains(args.get(m + 1)) && args.get(m + 2).equals("install");
    }
    return false;
  }

  /** pip reads PIP_NO_CACHE_DIR as "no cache" for any value it does not read as false. */
  private static boolean noCacheDir(Map<String, String> environment) {
    String value = environment.get("PIP_NO_CACHE_DIR");
    return value != null && !Set.of("", "0", "false", "no").contains(value.toLowerCase(java.util.Locale.ROOT));
  }
}
