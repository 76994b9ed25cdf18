package io.minify.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Node packages of {@link KeepUnit#CODE_UNITS}, each kept by what it can load rather
 * than whole. A package's roots are the files of it the app loaded, its {@code main}
 * ({@code index.js} by default), every target of its {@code exports} and {@code imports}
 * maps (all conditions; a {@code *} pattern keeps its directory whole), its {@code bin}
 * entries and its package.json. Each kept script is read for what it loads by a literal name
 * ({@link NodeRequires}), resolved as Node resolves it; a bare name is another package, kept
 * by the same rule. Where the scan cannot follow, it keeps more:
 * <ul>
 *   <li>a load by a computed name keeps the directory of the file whole (the directory its
 *       literal prefix names, for {@code require('./locale/' + l)}), and the whole package
 *       when that is the package's root;
 *   <li>a package whose package.json names no {@code main} or {@code exports}, of which the
 *       app loaded nothing, is kept whole, and so is one without a readable package.json;
 *   <li>{@code bindings} and {@code node-gyp-build} load a native addon by a computed path:
 *       the package's {@code build/} and {@code prebuilds/} are kept whole;
 *   <li>a file named by a plain string ("./data/tables.json") is kept, and a directory so
 *       named in a file that locates files by {@code __dirname} is kept whole;
 *   <li>the data files (not scripts, types, source maps or docs) beside a kept file are kept:
 *       packages read them with {@code fs} by paths the scan cannot see.
 * </ul>
 * A package kept whole also keeps the packages its package.json depends on.
 */
final class NodePackages {
  private static final int MAX_SOURCE_BYTES = 8 << 20;
  private static final int MAX_MANIFEST_BYTES = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PACKAGE_NAME = Pattern.compile("(@[A-Za-z0-9._~-]+/)?[A-Za-z0-9._~-]+");
  /** Packages that load the requiring package's native addon by a computed path. */
  private static final Set<String> NATIVE_LOADERS = Set.of("bindings", "node-gyp-build",
      "node-gyp-build-optional-packages", "@mapbox/node-pre-gyp", "node-pre-gyp", "@discordjs/node-pre-gyp");
  private static final List<String> NATIVE_DIRS = List.of("build", "prebuilds", "lib/binding");
  private static final List<String> SCRIPTS = List.of(".js", ".cjs", ".mjs");
  private static final List<String> FILE_EXTENSIONS = List.of("", ".js", ".json", ".node", ".cjs", ".mjs");
  private static final List<String> INDEX = List.of("index.js", "index.json", "index.node", "index.cjs", "index.mjs");
  /** Not data: code the scan decides on, types, source maps and docs. */
  private static final List<String> NOT_DATA_SUFFIXES = List.of(".js", ".cjs", ".mjs", ".ts", ".mts", ".cts",
      ".jsx", ".tsx", ".coffee", ".map", ".md", ".markdown", ".flow");
  private static final List<String> DOC_NAMES = List.of("readme", "license", "licence", "changelog", "changes",
      "history", "authors", "contributing", "notice");
  /** Directory names a plain string must not keep whole: a 'test' in a condition is not the tests. */
  private static final Set<String> NOT_DATA_DIRS = Set.of("node_modules", "test", "tests", "__tests__", "spec",
      "doc", "docs", "example", "examples", "benchmark", "benchmarks", "coverage", ".github");

  private final UnitContext ctx;
  private final SortedSet<UnixPath> observed;
  private final Map<UnixPath, ScannedUnit> units = new TreeMap<>();
  private final Deque<UnixPath> queue = new ArrayDeque<>();
  private final Set<UnixPath> queued = new HashSet<>();
  private List<UnixPath> globalDirs;

  NodePackages(UnitContext ctx) {
    this.ctx = ctx;
    this.observed = ctx.usedInImage();
  }

  /**
   * The package {@code path} belongs to: the nearest {@code node_modules/NAME},
   * {@code node_modules/@SCOPE/NAME} or Debian's {@code nodejs/NAME} with a package.json.
   */
  static Optional<UnixPath> packageOf(UnitContext ctx, UnixPath path) {
    for (UnixPath a = path; !a.isRoot(); a = a.parent()) {
      if (a.nameEquals("node_modules")) {
        return Optional.empty();
      }
      UnixPath parent = a.parent();
      if (parent.nameEquals("node_modules") && !a.nameStartsWith("@") && !a.nameStartsWith(".") && ctx.isDirectory(a)) {
        return Optional.of(a);
      }
      if (parent.nameStartsWith("@") && parent.parent().nameEquals("node_modules") && ctx.isDirectory(a)) {
        return Optional.of(a);
      }
      if (parent.nameEquals("nodejs") && ctx.fs().entry(a.child("package.json")).isPresent()) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** A file (or directory) of a package the app loaded: the package is entered and the file is a root. */
  void observed(UnixPath path) {
    Optional<UnixPath> pkg = packageOf(ctx, path);
    if (pkg.isEmpty()) {
      return;
    }
    ScannedUnit u = enter(pkg.get(), "node package", "");
    if (ctx.isDirectory(path)) {
      u.keep(ctx, path);
    } else {
      keepFile(path);
    }
  }

  /**
   * Keeps the package {@code name} as Node finds it from directory {@code from} (a manifest's
   * dependency, a bare require of the app's code).
   *
   * @return the package directory, when one was found
   */
  Optional<UnixPath> requirePackage(UnixPath from, String name, String via) {
    Optional<UnixPath> dir = resolvePackage(from, name);
    dir.ifPresent(d -> enter(d, "node package", via));
    return dir;
  }

  /** Reads one of the app's own scripts: the packages (and files of packages) it loads by name are kept. */
  void scanAppSource(UnixPath file) {
    Optional<byte[]> text = ctx.head(file, MAX_SOURCE_BYTES);
    if (text.isEmpty()) {
      return;
    }
    for (String specifier : NodeRequires.of(text.get()).specifiers()) {
      load(file, specifier, null);
    }
  }

  /** Follows every kept script to what it loads, then keeps the data beside kept files. */
  void run() {
    while (!queue.isEmpty()) {
      scan(queue.removeFirst());
    }
    for (ScannedUnit u : units.values()) {
      if (!u.isWhole()) {
        keepData(u);
      }
    }
  }

  /** One found unit per package, sorted by path. */
  List<FoundUnit> found() {
    return units.values().stream().map(ScannedUnit::found).toList();
  }

  private ScannedUnit enter(UnixPath pkg, String label, String via) {
    ScannedUnit u = units.get(pkg);
    if (u != null) {
      return u;
    }
    u = new ScannedUnit(label, pkg, via);
    units.put(pkg, u);
    UnixPath manifest = pkg.child("package.json");
    Optional<JsonNode> json = readJson(manifest);
    if (json.isEmpty() || !json.get().isObject()) {
      whole(u, "no readable package.json");
      return u;
    }
    u.keep(ctx, pkg);
    u.keep(ctx, manifest);
    JsonNode j = json.get();
    String main = j.path("main").isTextual() ? j.get("main").asText() : "";
    JsonNode exports = j.get("exports");
    boolean hasExports = exports != null && !exports.isNull();
    if (main.isEmpty() && !hasExports && !loadedFrom(pkg)) {
      whole(u, "package.json names no main or exports, and the app loaded none of its files");
      return u;
    }
    if (!main.isEmpty()) {
      List<UnixPath> entry = resolveModule(pkg.resolve(main));
      if (entry.isEmpty()) {
        entry = loadIndex(pkg).map(List::of).orElse(List.of()); // Node falls back to index.js
      }
      if (entry.isEmpty()) {
        whole(u, "its main " + main + " is not there");
        return u;
      }
      entry.forEach(this::keepFile);
    } else {
      loadIndex(pkg).ifPresent(this::keepFile);
    }
    List<String> imports = new ArrayList<>();
    targets(j.get("imports"), imports);
    List<String> targets = new ArrayList<>();
    targets(exports, targets);
    targets(j.get("bin"), targets);
    for (String target : imports) {
      if (target.startsWith("./")) {
        targets.add(target);
      } else {
        load(manifest, target, u); // "#dep": "other-package": a package of its own
      }
    }
    for (String target : targets) {
      if (target.contains("*")) {
        // a pattern export maps a whole directory: "./lib/*.js", "./features/*"
        String prefix = target.substring(0, target.indexOf('*'));
        UnixPath dir = pkg.resolve(prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/') + 1) : ".");
        if (dir.equals(pkg) || !dir.isBelow(pkg)) {
          whole(u, "its exports map the pattern " + target);
          return u;
        }
        if (ctx.isDirectory(dir)) {
          keepDirectory(u, dir, "exports pattern " + target);
        }
        continue;
      }
      UnixPath p = pkg.resolve(target);
      if (!p.isBelow(pkg)) {
        continue;
      }
      if (ctx.isDirectory(p)) {
        keepDirectory(u, p, "exports directory " + target); // "./lib/": a folder mapping
      } else {
        resolveModule(p).forEach(this::keepFile);
      }
    }
    return u;
  }

  /** Whether the app loaded a file of the package itself (not of a package nested in it). */
  private boolean loadedFrom(UnixPath pkg) {
    for (UnixPath p : observed.subSet(pkg.subtreeStart(), pkg.subtreeEnd())) {
      if (packageOf(ctx, p).filter(pkg::equals).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** Every string of an exports, imports or bin value: strings, arrays, condition objects, nested. */
  private static void targets(JsonNode node, List<String> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isArray() || node.isObject()) {
      node.elements().forEachRemaining(e -> targets(e, out));
    }
  }

  private void whole(ScannedUnit u, String reason) {
    if (u.isWhole()) {
      return;
    }
    u.markWhole(reason);
    keepTreeAndQueue(u, u.root());
    // what a package kept whole may load is not followed file by file: what it declares is kept
    for (String dep : ManifestDependencies.dependencies(ctx, u.root().child("package.json"))) {
      requirePackage(u.root(), dep, ", a dependency of " + u.root());
    }
  }

  private void keepDirectory(ScannedUnit u, UnixPath dir, String reason) {
    if (u.inWholeDirectory(dir)) {
      return;
    }
    u.wholeDirectory(dir, reason);
    keepTreeAndQueue(u, dir);
  }

  /** Keeps a directory of a package whole, but not the packages nested in it, and reads its scripts. */
  private void keepTreeAndQueue(ScannedUnit u, UnixPath dir) {
    u.keepTree(ctx, dir, UnitContext::isCodeContainer);
    for (FileEntry e : ctx.fs().below(dir)) {
      if (isScript(e.path()) && e.hasContent() && packageOf(ctx, e.path()).filter(u.root()::equals).isPresent()) {
        enqueue(e.path());
      }
    }
  }

  /** Keeps a file of a package (following a symlink to its target), and reads it when it is a script. */
  private void keepFile(UnixPath file) {
    Optional<FileEntry> entry = ctx.fs().entry(file);
    if (entry.isEmpty()) {
      return;
    }
    if (entry.get().type() == EntryType.SYMLINK) {
      PathResolution r = ctx.fs().resolve(file);
      packageOf(ctx, file).map(units::get).ifPresent(u -> u.keep(ctx, file));
      if (r.exists() && !ctx.isDirectory(r.resolved()) && !r.resolved().equals(file)) {
        keepFile(r.resolved());
      }
      return;
    }
    Optional<UnixPath> pkg = packageOf(ctx, file);
    if (pkg.isEmpty()) {
      return; // the app's own code: kept by the rules for it
    }
    ScannedUnit u = enter(pkg.get(), "node package", "");
    u.keep(ctx, file);
    if (isScript(file)) {
      enqueue(file);
    }
  }

  private void enqueue(UnixPath script) {
    if (queued.add(script)) {
      queue.add(script);
    }
  }

  private void scan(UnixPath file) {
    Optional<UnixPath> pkg = packageOf(ctx, file);
    Optional<byte[]> text = ctx.head(file, MAX_SOURCE_BYTES);
    if (pkg.isEmpty() || text.isEmpty()) {
      return;
    }
    ScannedUnit u = units.get(pkg.get());
    NodeRequires.Scan scan = NodeRequires.of(text.get());
    for (String specifier : scan.specifiers()) {
      load(file, specifier, u);
    }
    for (NodeRequires.Computed c : scan.computed()) {
      computed(file, c, u);
    }
    for (String literal : scan.literals()) {
      literal(file, literal, u, scan.usesDirname());
    }
  }

  /**
   * Keeps what {@code specifier}, loaded from {@code file}, names; {@code u} is the file's
   * package, null for the app's own code.
   */
  private void load(UnixPath file, String specifier, ScannedUnit u) {
    if (specifier.isEmpty() || specifier.startsWith("#")
        || (NodeRequires.isBuiltin(specifier) && !specifier.endsWith("/"))) {
      return; // built in, or an imports-map name whose targets are roots already
    }
    if (NodeRequires.isRelative(specifier)) {
      UnixPath base = specifier.startsWith("/") ? UnixPath.of(specifier) : file.parent().resolve(specifier);
      resolveModule(base).forEach(this::keepFile);
      return;
    }
    String name = NodeRequires.packageName(specifier);
    Optional<UnixPath> dir = name.isEmpty() ? Optional.empty() : resolvePackage(file.parent(), name);
    if (dir.isEmpty()) {
      return; // not installed: an optional dependency, or a name in a string
    }
    enter(dir.get(), "node package", ", required by " + file);
    String sub = specifier.substring(name.length());
    if (sub.length() > 1) {
      resolveModule(dir.get().resolve(sub.substring(1))).forEach(this::keepFile);
    }
    if (u != null && NATIVE_LOADERS.contains(name)) {
      for (String nativeDir : NATIVE_DIRS) {
        UnixPath d = u.root().resolve(nativeDir);
        if (ctx.isDirectory(d)) {
          keepDirectory(u, d, "native addon found by " + name + " in " + u.relative(file));
        }
      }
    }
  }

  /** A load by a computed name: the directory it can reach is kept whole. */
  private void computed(UnixPath file, NodeRequires.Computed c, ScannedUnit u) {
    String reason = c.call() + " with a computed name in " + u.relative(file);
    String prefix = c.prefix();
    UnixPath dir = file.parent();
    if (NodeRequires.isRelative(prefix) && prefix.contains("/")) {
      UnixPath named = file.parent().resolve(prefix.substring(0, prefix.lastIndexOf('/') + 1));
      if (ctx.isDirectory(named) && named.isSameOrBelow(u.root())) {
        dir = named;
      }
    } else if (!prefix.isEmpty() && !NodeRequires.isRelative(prefix)) {
      // require('lodash/' + name): the package is known, the file in it is not
      String name = NodeRequires.packageName(prefix);
      if (!name.isEmpty() && prefix.length() > name.length()) {
        Optional<UnixPath> other = resolvePackage(file.parent(), name);
        if (other.isPresent()) {
          whole(enter(other.get(), "node package", ", required by " + file), c.call() + " with a computed name in "
              + file);
          return;
        }
      }
    }
    if (u.inWholeDirectory(dir)) {
      return;
    }
    if (!dir.isBelow(u.root())) {
      whole(u, reason);
    } else {
      keepDirectory(u, dir, reason);
    }
  }

  /** A plain string that names a file or directory of the package: read with fs, or a worker's script. */
  private void literal(UnixPath file, String literal, ScannedUnit u, boolean usesDirname) {
    if (literal.startsWith("/")) {
      return;
    }
    for (UnixPath base : List.of(file.parent(), u.root())) {
      UnixPath p = base.resolve(literal);
      if (!p.isBelow(u.root()) || packageOf(ctx, p).filter(u.root()::equals).isEmpty()) {
        continue;
      }
      Optional<FileEntry> e = ctx.fs().entry(p);
      if (e.isEmpty()) {
        continue;
      }
      if (!e.get().isDirectory()) {
        keepFile(p);
      } else if (usesDirname && !isNotData(p)) {
        keepDirectory(u, p, "named in " + u.relative(file) + ", which reads by __dirname");
      }
    }
  }

  private static boolean isNotData(UnixPath dir) {
    for (String name : NOT_DATA_DIRS) {
      if (dir.nameEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Keeps the data files beside each file the scan kept. */
  private void keepData(ScannedUnit u) {
    for (UnixPath dir : List.copyOf(u.directories())) {
      if (!dir.isSameOrBelow(u.root()) || u.inWholeDirectory(dir)
          || packageOf(ctx, dir).filter(u.root()::equals).isEmpty()) {
        continue;
      }
      for (FileEntry e : ctx.fs().below(dir)) {
        if (e.path().parent().equals(dir) && !e.isDirectory() && isData(e.path())) {
          u.keepUnnamed(ctx, e.path());
        }
      }
    }
  }

  private static boolean isData(UnixPath file) {
    if (file.nameStartsWith(".")) {
      return false;
    }
    for (String suffix : NOT_DATA_SUFFIXES) {
      if (file.nameEndsWith(suffix)) {
        return false;
      }
    }
    String name = new String(file.name(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    return DOC_NAMES.stream().noneMatch(name::startsWith);
  }

  private static boolean isScript(UnixPath file) {
    return SCRIPTS.stream().anyMatch(file::nameEndsWith);
  }

  /** Node's LOAD_AS_FILE, then LOAD_AS_DIRECTORY (with the directory's package.json); empty when nothing is there. */
  private List<UnixPath> resolveModule(UnixPath base) {
    Optional<UnixPath> file = loadAsFile(base);
    if (file.isPresent()) {
      return List.of(file.get());
    }
    if (!ctx.isDirectory(base)) {
      return List.of();
    }
    List<UnixPath> found = new ArrayList<>();
    UnixPath manifest = base.child("package.json");
    Optional<JsonNode> json = readJson(manifest);
    if (ctx.fs().entry(manifest).isPresent()) {
      found.add(manifest);
    }
    String main = json.map(j -> j.path("main").isTextual() ? j.get("main").asText() : "").orElse("");
    if (!main.isEmpty()) {
      UnixPath m = base.resolve(main);
      Optional<UnixPath> entry = loadAsFile(m).or(() -> loadIndex(m));
      if (entry.isPresent()) {
        found.add(entry.get());
        return found;
      }
    }
    loadIndex(base).ifPresent(found::add);
    return found;
  }

  private Optional<UnixPath> loadAsFile(UnixPath base) {
    if (base.isRoot()) {
      return Optional.empty();
    }
    for (String ext : FILE_EXTENSIONS) {
      UnixPath p = ext.isEmpty() ? base : base.parent().child(concat(base.name(), ext));
      Optional<FileEntry> e = ctx.fs().entry(p);
      if (e.isPresent() && !e.get().isDirectory()
          && (e.get().type() != EntryType.SYMLINK || ctx.fs().resolve(p).exists())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private Optional<UnixPath> loadIndex(UnixPath dir) {
    if (!ctx.isDirectory(dir)) {
      return Optional.empty();
    }
    for (String index : INDEX) {
      if (ctx.fs().entry(dir.child(index)).filter(e -> !e.isDirectory()).isPresent()) {
        return Optional.of(dir.child(index));
      }
    }
    return Optional.empty();
  }

  /**
   * The directory of package {@code name} as Node finds it from {@code from}: the nearest
   * {@code node_modules/NAME} upwards (through symlinks, as pnpm lays them out), then
   * {@code NODE_PATH} and Debian's global directories ({@code /usr/share/nodejs}...).
   */
  Optional<UnixPath> resolvePackage(UnixPath from, String name) {
    if (!PACKAGE_NAME.matcher(name).matches() || name.startsWith(".")) {
      return Optional.empty();
    }
    for (UnixPath a = from; ; a = a.parent()) {
      UnixPath candidate = a.nameEquals("node_modules") ? a.resolve(name) : a.child("node_modules").resolve(name);
      Optional<UnixPath> dir = realDirectory(candidate);
      if (dir.isPresent()) {
        return dir;
      }
      if (a.isRoot()) {
        break;
      }
    }
    for (UnixPath global : globalDirs()) {
      Optional<UnixPath> dir = realDirectory(global.resolve(name));
      if (dir.isPresent()) {
        return dir;
      }
    }
    return Optional.empty();
  }

  private Optional<UnixPath> realDirectory(UnixPath candidate) {
    if (ctx.isDirectory(candidate)) {
      return Optional.of(candidate);
    }
    if (ctx.fs().entry(candidate).filter(e -> e.type() == EntryType.SYMLINK).isEmpty()) {
      return Optional.empty();
    }
    PathResolution r = ctx.fs().resolve(candidate);
    return r.exists() && ctx.isDirectory(r.resolved()) ? Optional.of(r.resolved()) : Optional.empty();
  }

  private List<UnixPath> globalDirs() {
    if (globalDirs == null) {
      Set<UnixPath> dirs = new LinkedHashSet<>();
      String nodePath = ctx.config().envValue("NODE_PATH");
      if (nodePath != null) {
        Arrays.stream(nodePath.split(":")).filter(s -> s.startsWith("/")).map(UnixPath::of).forEach(dirs::add);
      }
      dirs.add(UnixPath.of("/usr/share/nodejs"));
      dirs.add(UnixPath.of("/usr/lib/nodejs"));
      for (FileEntry e : ctx.fs().below(UnixPath.of("/usr/lib"))) {
        if (e.path().depth() == 4 && e.path().nameEquals("nodejs") && e.isDirectory()) {
          dirs.add(e.path()); // /usr/lib/x86_64-linux-gnu/nodejs
        }
      }
      globalDirs = List.copyOf(dirs);
    }
    return globalDirs;
  }

  private Optional<JsonNode> readJson(UnixPath manifest) {
    Optional<byte[]> bytes = ctx.fs().entry(manifest).filter(FileEntry::hasContent)
        .flatMap(e -> ctx.head(manifest, MAX_MANIFEST_BYTES));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(bytes.get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static byte[] concat(byte[] name, String suffix) {
    byte[] s = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] joined = Arrays.copyOf(name, name.length + s.length);
    System.arraycopy(s, 0, joined, name.length, s.length);
    return joined;
  }
}
