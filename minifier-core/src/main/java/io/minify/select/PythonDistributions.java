package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Python distributions of {@link KeepUnit#CODE_UNITS} (a top-level package or module
 * under site-packages or dist-packages, with its .dist-info or .egg-info metadata), each kept
 * by what it can load rather than whole. Its roots are the files of it the app loaded, its
 * top-level {@code __init__.py}, the modules its entry points name, and the modules kept
 * code imports ({@link PythonImports}: function bodies too), resolved to module files
 * ({@code pkg/__init__.py}, {@code pkg/sub.py}, {@code name.cpython-*.so}, each with its
 * {@code __pycache__} files) and followed, relative imports included, from file to file.
 * Kept with it: its metadata whole ({@code importlib.metadata} reads entry points and
 * versions), and the package data of each kept package directory: every file that is not
 * Python source, and its sub-directories that are not packages ({@code templates/}), which
 * are read by paths made from {@code __file__}. A distribution whose kept code loads modules
 * by computed names ({@code import_module(name)}, {@code import_string}, {@code pkgutil},
 * entry points) is kept whole, as it was before the scan.
 */
final class PythonDistributions {
  private static final int MAX_SOURCE_BYTES = 8 << 20;
  private static final int MAX_METADATA_BYTES = 1 << 20;

  private final UnitContext ctx;
  private final List<UnixPath> siteDirs;
  private final Map<UnixPath, Map<String, List<UnixPath>>> metadataBySiteDir = new HashMap<>();
  private final Map<UnixPath, ScannedUnit> units = new TreeMap<>();
  private final Deque<UnixPath> queue = new ArrayDeque<>();
  private final Set<UnixPath> queued = new HashSet<>();
  private final Set<String> imported = new HashSet<>();

  /** @param siteDirs the site directories of the interpreters the app used, searched for absolute imports */
  PythonDistributions(UnitContext ctx, List<UnixPath> siteDirs) {
    this.ctx = ctx;
    this.siteDirs = List.copyOf(siteDirs);
  }

  /** The child of a site directory {@code path} lies in (or is): the distribution's top-level package or module. */
  static Optional<UnixPath> topOf(UnixPath path) {
    for (UnixPath a = path; !a.isRoot(); a = a.parent()) {
      if (a.parent().nameEquals("site-packages") || a.parent().nameEquals("dist-packages")) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** A file or directory of a site directory the app used. */
  void observed(UnixPath path) {
    Optional<UnixPath> top = topOf(path);
    if (top.isEmpty() || enter(top.get(), "python distribution").isEmpty()) {
      return;
    }
    if (ctx.isDirectory(path)) {
      units.get(top.get()).keep(ctx, path);
      return;
    }
    Optional<UnixPath> source = KeepSetSelector.pythonSourceOf(path).filter(s -> ctx.fs().entry(s).isPresent());
    source.ifPresent(this::keepModule);
    keepModule(path);
  }

  /** A kept Python source outside the distributions (the app's, the standard library's): read for its imports. */
  void source(UnixPath file) {
    enqueue(file);
  }

  /**
   * The distribution whose top-level package or module is {@code top}, entered with its
   * metadata and top-level {@code __init__.py}; empty for what is no distribution (a
   * {@code __pycache__}, a name that is no module name).
   */
  Optional<ScannedUnit> enter(UnixPath top, String label) {
    ScannedUnit u = units.get(top);
    if (u != null) {
      return Optional.of(u);
    }
    if (top.nameEquals("__pycache__")) {
      return Optional.empty(); // caches of top-level modules: the module itself is the unit
    }
    if (top.nameEndsWith(".dist-info") || top.nameEndsWith(".egg-info")) {
      u = new ScannedUnit("python distribution metadata", top, "");
      units.put(top, u);
      u.markWhole("importlib.metadata reads it");
      u.keepTree(ctx, top, p -> false);
      return Optional.of(u);
    }
    Optional<String> moduleName = moduleName(top);
    if (moduleName.isEmpty()) {
      return Optional.empty();
    }
    u = new ScannedUnit(label, top, "");
    units.put(top, u);
    Map<String, List<UnixPath>> byModule = metadataBySiteDir.computeIfAbsent(top.parent(),
        dir -> metadataByModule(ctx, dir));
    List<UnixPath> metadata = byModule.getOrDefault(normalize(moduleName.get()), List.of());
    for (UnixPath meta : metadata) {
      u.keepTree(ctx, meta, p -> false);
    }
    if (!ctx.isDirectory(top)) {
      keepModule(top); // a top-level module: it and its compiled caches
      return Optional.of(u);
    }
    u.keep(ctx, top);
    UnixPath init = top.child("__init__.py");
    if (ctx.fs().entry(init).isPresent()) {
      keepModule(init);
    }
    for (UnixPath meta : metadata) {
      for (String module : entryPointModules(meta)) {
        importAbsolute(module, meta.child("entry_points.txt"));
      }
    }
    return Optional.of(u);
  }

  /** Reads every queued source for what it imports, then keeps the package data beside kept modules. */
  void run() {
    while (!queue.isEmpty()) {
      scan(queue.removeFirst());
    }
    for (ScannedUnit u : units.values()) {
      if (!u.isWhole() && ctx.isDirectory(u.root())) {
        keepData(u);
      }
    }
  }

  /** One found unit per package, sorted by path. */
  List<FoundUnit> found() {
    return units.values().stream().map(ScannedUnit::found).toList();
  }

  private void enqueue(UnixPath file) {
    if (file.nameEndsWith(".py") && queued.add(file)) {
      queue.add(file);
    }
  }

  private void scan(UnixPath file) {
    Optional<byte[]> text = ctx.head(file, MAX_SOURCE_BYTES);
    if (text.isEmpty()) {
      return;
    }
    for (String module : PythonImports.of(text.get())) {
      importAbsolute(module, file);
    }
    Optional<ScannedUnit> unit = topOf(file).map(units::get);
    if (unit.isEmpty()) {
      return; // the app's code or the standard library: its relative imports are not distributions'
    }
    ScannedUnit u = unit.get();
    for (String module : PythonImports.loaderLiterals(text.get())) {
      importAbsolute(module, file);
    }
    Optional<String> dynamic = PythonImports.dynamicLoading(text.get());
    if (dynamic.isPresent()) {
      whole(u, dynamic.get() + " in " + u.relative(file));
    }
    for (PythonImports.Relative r : PythonImports.relative(text.get())) {
      importRelative(file, r, u);
    }
  }

  private void whole(ScannedUnit u, String reason) {
    if (u.isWhole()) {
      return;
    }
    u.markWhole(reason);
    u.keepTree(ctx, u.root(), p -> false);
    for (FileEntry e : ctx.fs().below(u.root())) {
      enqueue(e.path()); // what the whole package imports from other distributions
    }
  }

  /** {@code import a.b.c} from {@code by}: the distribution of {@code a} in a site directory, and its module files. */
  private void importAbsolute(String dotted, UnixPath by) {
    String[] parts = dotted.split("\\.");
    List<UnixPath> sites = new ArrayList<>();
    topOf(by).map(UnixPath::parent).ifPresent(sites::add);
    sites.addAll(siteDirs);
    for (UnixPath site : new LinkedHashSet<>(sites)) {
      Optional<UnixPath> top = topLevelModule(ctx, site, parts[0]);
      if (top.isEmpty()) {
        continue;
      }
      if (!imported.add(site + "\0" + dotted)) {
        return;
      }
      if (enter(top.get(), "python distribution imported by " + by).isPresent()) {
        moduleFiles(site, List.of(parts)).forEach(this::keepModule);
      }
      return;
    }
  }

  /** {@code from ..a import b} in {@code file}: resolved against the file's package, within its distribution. */
  private void importRelative(UnixPath file, PythonImports.Relative r, ScannedUnit u) {
    UnixPath base = file.parent();
    for (int i = 1; i < r.level(); i++) {
      base = base.parent();
    }
    if (!base.isSameOrBelow(u.root())) {
      return; // beyond the top-level package: an ImportError in Python too
    }
    List<String> parts = r.module().isEmpty() ? List.of() : List.of(r.module().split("\\."));
    moduleFiles(base, parts).forEach(this::keepModule);
    UnixPath pkg = base;
    for (String part : parts) {
      pkg = pkg.child(part);
    }
    if (r.names().isEmpty()) {
      // from .pkg import *: the submodules its __all__ may name
      for (FileEntry e : ctx.fs().below(pkg)) {
        UnixPath p = e.path();
        if (p.parent().equals(pkg) && p.nameEndsWith(".py")) {
          keepModule(p);
        } else if (p.parent().parent().equals(pkg) && p.nameEquals("__init__.py")) {
          keepModule(p);
        }
      }
      return;
    }
    for (String name : r.names()) {
      List<String> candidate = new ArrayList<>(parts);
      candidate.add(name);
      List<UnixPath> files = moduleFiles(base, candidate);
      // only a name that is a module of its own adds files; an attribute leaves the package's __init__
      files.forEach(this::keepModule);
    }
  }

  /**
   * The files of the module {@code parts} found from {@code dir}: the {@code __init__.py} of
   * each package on the way, then the module's source or extension module (each with its
   * compiled caches). What is there of it when the last part is an attribute, not a module.
   */
  private List<UnixPath> moduleFiles(UnixPath dir, List<String> parts) {
    List<UnixPath> files = new ArrayList<>();
    UnixPath d = dir;
    for (int i = 0; i < parts.size(); i++) {
      String name = parts.get(i);
      if (!name.matches("[A-Za-z_]\\w*")) {
        return files;
      }
      boolean last = i == parts.size() - 1;
      UnixPath pkg = d.child(name);
      if (ctx.isDirectory(pkg) && !UnitContext.isCodeContainer(pkg)) {
        UnixPath init = pkg.child("__init__.py");
        if (ctx.fs().entry(init).isPresent()) {
          files.add(init);
        }
        d = pkg;
        continue;
      }
      if (!last) {
        return files; // "a.b" where a is a module: b is its attribute
      }
      UnixPath py = d.child(name + ".py");
      if (ctx.fs().entry(py).isPresent()) {
        files.add(py);
        return files;
      }
      for (FileEntry e : ctx.fs().below(d)) {
        UnixPath p = e.path();
        if (p.parent().equals(d) && p.nameStartsWith(name + ".") && p.nameEndsWith(".so")) {
          files.add(p);
        }
      }
    }
    return files;
  }

  /** Keeps a module file of a distribution with its caches and the {@code __init__.py} of the packages above it. */
  private void keepModule(UnixPath file) {
    Optional<UnixPath> top = topOf(file);
    if (top.isEmpty()) {
      return;
    }
    Optional<ScannedUnit> unit = enter(top.get(), "python distribution");
    if (unit.isEmpty()) {
      return;
    }
    ScannedUnit u = unit.get();
    u.keep(ctx, file);
    enqueue(file);
    String stem = stem(file);
    if (file.nameEndsWith(".py") && !stem.isEmpty()) {
      for (FileEntry e : ctx.fs().below(file.parent().child("__pycache__"))) {
        if (e.path().nameStartsWith(stem + ".") && e.path().nameEndsWith(".pyc")) {
          u.keep(ctx, e.path());
        }
      }
    } else if (file.equals(top.get()) && !stem.isEmpty()) {
      for (FileEntry e : ctx.fs().below(file.parent().child("__pycache__"))) {
        if (e.path().nameStartsWith(stem + ".")) {
          u.keep(ctx, e.path()); // a top-level module's caches
        }
      }
    }
    // Python imports the packages above a module first
    for (UnixPath a = file.parent(); a.isSameOrBelow(top.get()) && !a.equals(file); a = a.parent()) {
      UnixPath init = a.child("__init__.py");
      if (!init.equals(file) && ctx.fs().entry(init).isPresent() && !ctx.keep().contains(init)) {
        keepModule(init);
      }
    }
  }

  private static String stem(UnixPath file) {
    String name = new String(file.name(), StandardCharsets.UTF_8);
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * The package data of each kept package directory: files that are not Python source or
   * bytecode, and sub-directories that are not packages (templates/, locale/), whole.
   */
  private void keepData(ScannedUnit u) {
    Set<UnixPath> packages = new TreeSet<>();
    for (UnixPath d : u.directories()) {
      if (d.isSameOrBelow(u.root()) && !d.nameEquals("__pycache__") && !u.inWholeDirectory(d)) {
        packages.add(d);
      }
    }
    for (UnixPath pkg : packages) {
      for (FileEntry e : ctx.fs().below(pkg)) {
        UnixPath p = e.path();
        if (!p.parent().equals(pkg)) {
          continue;
        }
        if (!e.isDirectory() && !p.nameEndsWith(".py") && !p.nameEndsWith(".pyc")) {
          u.keepUnnamed(ctx, p);
        } else if (e.isDirectory() && !p.nameEquals("__pycache__") && ctx.fs().entry(p.child("__init__.py")).isEmpty()
            && !packages.contains(p)) {
          u.keepTree(ctx, p, q -> false);
        }
      }
    }
  }

  /** Module names an entry_points.txt names ("gunicorn.app.wsgiapp" of "gunicorn = gunicorn.app.wsgiapp:run"). */
  private List<String> entryPointModules(UnixPath meta) {
    List<String> modules = new ArrayList<>();
    ctx.head(meta.child("entry_points.txt"), MAX_METADATA_BYTES).map(b -> new String(b, StandardCharsets.UTF_8))
        .ifPresent(text -> text.lines().forEach(line -> {
          int eq = line.indexOf('=');
          if (eq > 0 && !line.strip().startsWith("[") && !line.strip().startsWith("#")) {
            String target = line.substring(eq + 1).strip();
            String module = target.contains(":") ? target.substring(0, target.indexOf(':')).strip() : target;
            if (module.matches("[A-Za-z_][\\w.]*")) {
              modules.add(module);
            }
          }
        }));
    return modules;
  }

  /** The top-level package directory, module file or extension module named {@code name} in a site directory. */
  static Optional<UnixPath> topLevelModule(UnitContext ctx, UnixPath site, String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return Optional.empty();
    }
    UnixPath pkg = site.child(name);
    if (ctx.isDirectory(pkg)) {
      return Optional.of(pkg);
    }
    UnixPath py = site.child(name + ".py");
    if (ctx.fs().entry(py).isPresent()) {
      return Optional.of(py);
    }
    for (FileEntry e : ctx.fs().below(site)) {
      if (e.path().parent().equals(site) && e.path().nameStartsWith(name + ".") && e.path().nameEndsWith(".so")) {
        return Optional.of(e.path());
      }
    }
    return Optional.empty();
  }

  /** "flask" of "flask", "yaml" of "yaml.py", "_cffi_backend" of "_cffi_backend.cpython-311-x86_64-linux-gnu.so". */
  static Optional<String> moduleName(UnixPath top) {
    return top.toUtf8().map(t -> {
      String name = t.substring(t.lastIndexOf('/') + 1);
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    });
  }

  /** For a site directory: module name (normalized) to the metadata directories of its distribution. */
  Map<String, List<UnixPath>> metadataOf(UnixPath siteDir) {
    return metadataBySiteDir.computeIfAbsent(siteDir, d -> metadataByModule(ctx, d));
  }

  private static Map<String, List<UnixPath>> metadataByModule(UnitContext ctx, UnixPath siteDir) {
    Map<String, List<UnixPath>> byModule = new HashMap<>();
    for (FileEntry e : ctx.fs().below(siteDir)) {
      UnixPath p = e.path();
      if (!p.parent().equals(siteDir) || !(p.nameEndsWith(".dist-info") || p.nameEndsWith(".egg-info"))) {
        continue;
      }
      List<String> modules = new ArrayList<>();
      if (e.isDirectory()) {
        ctx.head(p.child("top_level.txt"), MAX_METADATA_BYTES).map(b -> new String(b, StandardCharsets.UTF_8))
            .ifPresent(text -> text.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(modules::add));
      }
      // "Flask-2.2.2.dist-info", "PyYAML-6.0.egg-info": the distribution's own name
      p.toUtf8().ifPresent(t -> {
        String name = t.substring(t.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        modules.add(dash > 0 ? name.substring(0, dash) : name.substring(0, name.lastIndexOf('.')));
      });
      for (String module : modules) {
        byModule.computeIfAbsent(normalize(module), k -> new ArrayList<>()).add(p);
      }
    }
    return byModule;
  }

  /** PEP 503 style: case and '-', '_', '.' do not tell names apart. */
  static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_");
  }
}
