package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.packages.InstalledPackage;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link KeepUnit#CONFIG_REFERENCES}: a server reads its configuration at start but touches
 * what it names only when a request needs it: a {@code DocumentRoot} that is only stat()ed, a
 * password file opened on the first login, an {@code Alias} directory, a CGI directory. Every
 * configuration file the app opened (under /etc, or named like one) is read for absolute
 * paths. A file it names is kept (and read in turn when it is configuration too). A directory
 * it names is kept whole when the app opened nothing in it (what the app used of a directory
 * it did open, such as its {@code ServerRoot}, is for the other rules to judge) and either no
 * package owns it (app content) or the config file's own package does; configuration inside
 * it is read in turn. Paths with wildcards or variables are left alone, and so are the user
 * databases (passwd, group, shadow), which name every account's home and shell.
 */
final class ConfigReferenceRule implements KeepUnitRule {
  private static final UnixPath ETC = UnixPath.of("/etc");
  private static final List<String> CONFIG_SUFFIXES = List.of(".conf", ".cnf", ".cfg", ".ini", ".xml", ".properties",
      ".yaml", ".yml", ".toml", ".json");
  /** They name every account's home and shell, not paths the app uses. */
  private static final Set<String> USER_DATABASES = Set.of("passwd", "group", "shadow", "gshadow", "subuid", "subgid",
      "passwd-", "group-", "shadow-", "gshadow-");
  private static final int MAX_CONFIG_BYTES = 1 << 20;
  private static final int BINARY_PROBE_BYTES = 8192;


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    Optional<PackageDatabase> db = ctx.packages();
    Deque<UnixPath> configs = new ArrayDeque<>();
    for (UnixPath opened : ctx.log().files()) {
      if (isConfig(opened) && ctx.fs().entry(opened).isPresent()) {
        configs.add(opened);
      }
    }
    TreeSet<UnixPath> used = new TreeSet<>(ctx.usedInImage());
    Set<UnixPath> scanned = new HashSet<>();
    List<FoundUnit> found = new ArrayList<>();
    while (!configs.isEmpty()) {
      UnixPath config = configs.removeFirst();
      if (!scanned.add(config)) {
        continue;
      }
      Optional<byte[]> text = readText(ctx, config);
      if (text.isEmpty()) {
        continue;
      }
      Optional<InstalledPackage> configOwner = db.flatMap(d -> d.ownerOf(config));
      for (UnixPath named : pathsIn(text.get())) {
        PathResolution r = ctx.fs().resolve(named);
        if (!r.exists() || r.resolved().isRoot()) {
          continue;
        }
        KeptBecause because = new KeptBecause(KeepReason.CONFIG_REFERENCE, "named in " + config);
        Optional<FileEntry> entry = ctx.fs().entry(r.resolved());
        if (entry.isEmpty()) {
          continue;
        }
        long bytes;
        if (entry.get().isDirectory()) {
          if (!keepsTree(db, configOwner, r.resolved()) || openedInside(used, r.resolved())) {
            continue;
          }
          bytes = ctx.keepTree(r.resolved(), because, UnitContext::isCodeContainer);
          for (FileEntry inside : ctx.fs().below(r.resolved())) {
            if (inside.hasContent() && isConfig(inside.path()) && ctx.keep().contains(inside.path())) {
              configs.add(inside.path()); // an Alias directory's own configuration
            }
          }
        } else {
          bytes = ctx.offer(r.resolved(), because);
          if (isConfig(r.resolved()) && !scanned.contains(r.resolved())) {
            configs.add(r.resolved());
          }
        }
        boolean linksAdded = false;
        for (UnixPath link : r.symlinks()) {
          linksAdded |= ctx.keep().offer(link, because);
        }
        if (bytes > 0 || linksAdded) {
          found.add(new FoundUnit.Kept(named.toString(), List.of("in " + config), OptionalLong.of(bytes), List.of()));
        }
      }
    }
    return found;
  }

  /** Whether the app opened anything below {@code dir}. */
  private static boolean openedInside(TreeSet<UnixPath> used, UnixPath dir) {
    UnixPath next = used.ceiling(dir.subtreeStart());
    return next != null && next.compareTo(dir.subtreeEnd()) < 0;
  }

  /** A directory is kept whole when it is app content, or belongs to the config's own package. */
  private static boolean keepsTree(Optional<PackageDatabase> db, Optional<InstalledPackage> configOwner, UnixPath dir) {
    if (db.isEmpty() || dir.depth() < 2) {
      return false;
    }
    if (!db.get().isOwned(dir)) {
      return true;
    }
    Optional<InstalledPackage> dirOwner = db.get().ownerOf(dir);
    return dirOwner.isPresent() && dirOwner.equals(configOwner);
  }

  static boolean isConfig(UnixPath path) {
    if (USER_DATABASES.stream().anyMatch(path::nameEquals)) {
      return false;
    }
    return path.isBelow(ETC) || CONFIG_SUFFIXES.stream().anyMatch(path::nameEndsWith);
  }

  /**
   * The absolute paths a configuration text names: a '/' that does not follow a name
   * character, up to the first byte that cannot be part of a path there (space, quote,
   * ';', ',', brackets...). Paths with wildcards, variables or templates are skipped.
   */
  static List<UnixPath> pathsIn(byte[] text) {
    List<UnixPath> paths = new ArrayList<>();
    int i = 0;
    while (i < text.length) {
      if (text[i] != '/' || (i > 0 && isNameByte(text[i - 1]))) {
        i++;
        continue;
      }
      int end = i;
      boolean template = false;
      while (end < text.length && !isDelimiter(text[end])) {
        byte b = text[end];
        template |= b == '*' || b == '?' || b == '$' || b == '%' || b == '{' || b == '[' || b == '@';
        end++;
      }
      int last = end;
      while (last > i + 1 && (text[last - 1] == '.' || text[last - 1] == ':' || text[last - 1] == '/')) {
        last--;
      }
      if (!template && last > i + 1 && text[i + 1] != '/') {
        paths.add(UnixPath.ofBytes(Arrays.copyOfRange(text, i, last)));
      }
      i = end;
    }
    return paths;
  }

  private static boolean isNameByte(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '_'
        || b == '-' || b == '~' || b == '/' || b == ':' || (b & 0x80) != 0;
  }

  private static boolean isDelimiter(byte b) {
    return (b & 0xff) <= ' ' || b == '"' || b == '\'' || b == ';' || b == ',' || b == '(' || b == ')' || b == '<' || b == '>'
        || b == '=' || b == '&' || b == '|' || b == '#' || b == '`' || b == '\\' || b == 0x7f;
  }

  /** The file's bytes when it is small text (no NUL near its start). */
  private static Optional<byte[]> readText(UnitContext ctx, UnixPath path) {
    Optional<byte[]> bytes = ctx.head(path, MAX_CONFIG_BYTES);
    if (bytes.isPresent()) {
      for (int i = 0; i < Math.min(bytes.get().length, BINARY_PROBE_BYTES); i++) {
        if (bytes.get()[i] == 0) {
          return Optional.empty();
        }
      }
    }
    return bytes;
  }
}
