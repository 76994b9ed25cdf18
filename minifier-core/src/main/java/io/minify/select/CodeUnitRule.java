package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@link KeepUnit#CODE_UNITS}: interpreted code loads its files lazily, a route at a time
 * ({@code Cannot find module '../encodings'} when body-parser first decodes a JSON body). A
 * file the app loaded keeps the whole unit it belongs to:
 * <ul>
 *   <li>the Node package: {@code node_modules/NAME} or {@code node_modules/@SCOPE/NAME} (and
 *       Debian's {@code nodejs/NAME} with a package.json), without its own node_modules;
 *   <li>the Python distribution: the top-level package or module under site-packages or
 *       dist-packages, with its .dist-info or .egg-info metadata;
 *   <li>the Ruby gem ({@code gems/NAME-VERSION} and its gemspec);
 *   <li>the Composer package ({@code vendor/VENDOR/NAME}, and {@code vendor/composer});
 *   <li>the Java web application: the directory holding {@code WEB-INF}.
 * </ul>
 * A Python distribution that kept code imports (inside a function too: {@code import yaml} in
 * a handler) but that the run never loaded is a unit as well, found by reading the kept
 * sources ({@link PythonImports}) against the site directories of the interpreter.
 */
final class CodeUnitRule implements KeepUnitRule {
  private static final long MAX_TOP_LEVEL_BYTES = 1 << 20;
  private static final int MAX_SOURCE_BYTES = 8 << 20;

  /** A unit found: its kind, root, metadata kept with it, and what not to descend into. */
  private record Unit(String kind, UnixPath root, List<UnixPath> metadata, Predicate<UnixPath> skip) {}

  private final List<AppRoots.Root> roots;

  /** @param roots the app's code roots, whose manifests name dependencies */
  CodeUnitRule(List<AppRoots.Root> roots) {
    this.roots = List.copyOf(roots);
  }

  @Override
  public KeepUnit unit() {
    return KeepUnit.CODE_UNITS;
  }

  @Override
  public List<String> apply(UnitContext ctx) {
    TreeMap<UnixPath, Unit> units = new TreeMap<>();
    Map<UnixPath, Map<String, List<UnixPath>>> metadataBySiteDir = new HashMap<>();
    for (UnixPath used : ctx.usedInImage()) {
      find(ctx, used, metadataBySiteDir).ifPresent(u -> units.putIfAbsent(u.root(), u));
    }
    List<String> found = new ArrayList<>();
    keepAll(ctx, units.values(), found);
    // What the app's own manifests declare: a dependency required inside a handler is loaded
    // only when that route runs
    found.addAll(ManifestDependencies.keep(ctx, roots));
    // Distributions kept code imports without the run having loaded them; what they import in turn.
    List<UnixPath> siteDirs = pythonSiteDirectories(ctx);
    keepRequirements(ctx, roots, siteDirs, metadataBySiteDir, found);
    Set<UnixPath> scanned = new HashSet<>();
    Set<String> modules = new HashSet<>();
    while (!siteDirs.isEmpty()) {
      TreeMap<UnixPath, Unit> imported = new TreeMap<>();
      for (UnixPath source : pythonSources(ctx)) {
        if (!scanned.add(source)) {
          continue;
        }
        for (String module : ctx.head(source, MAX_SOURCE_BYTES).map(PythonImports::of).orElse(Set.of())) {
          String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
          if (!modules.add(top)) {
            continue;
          }
          for (UnixPath site : siteDirs) {
            Optional<UnixPath> entry = topLevelModule(ctx, site, top);
            if (entry.isPresent() && !ctx.keep().contains(entry.get())) {
              pythonDistribution(ctx, entry.get(), metadataBySiteDir)
                  .map(u -> new Unit("python distribution imported by " + source, u.root(), u.metadata(), u.skip()))
                  .ifPresent(u -> imported.putIfAbsent(u.root(), u));
              break;
            }
          }
        }
      }
      if (imported.isEmpty()) {
        break;
      }
      keepAll(ctx, imported.values(), found);
    }
    return found;
  }

  /**
   * The distributions a code root's {@code requirements.txt} names, found by their metadata
   * in the site directories (the modules its {@code top_level.txt} or {@code RECORD} names).
   */
  private void keepRequirements(UnitContext ctx, List<AppRoots.Root> roots, List<UnixPath> siteDirs,
      Map<UnixPath, Map<String, List<UnixPath>>> metadataBySiteDir, List<String> found) {
    for (AppRoots.Root root : roots) {
      UnixPath requirements = root.path().child("requirements.txt");
      Optional<String> text = readText(ctx, requirements);
      if (text.isEmpty() || siteDirs.isEmpty()) {
        continue;
      }
      TreeMap<UnixPath, Unit> named = new TreeMap<>();
      int names = 0;
      for (String line : text.get().lines().toList()) {
        java.util.regex.Matcher m = REQUIREMENT.matcher(line);
        if (!m.lookingAt()) {
          continue;
        }
        names++;
        String dist = normalize(m.group(1));
        for (UnixPath site : siteDirs) {
          Map<String, List<UnixPath>> byModule = metadataBySiteDir.computeIfAbsent(site, d -> metadataByModule(ctx, d));
          for (UnixPath meta : byModule.getOrDefault(dist, List.of())) {
            for (String module : topLevelModules(ctx, meta)) {
              topLevelModule(ctx, site, module).flatMap(top -> pythonDistribution(ctx, top, metadataBySiteDir))
                  .map(u -> new Unit("python distribution required by " + requirements, u.root(), u.metadata(),
                      u.skip()))
                  .ifPresent(u -> named.putIfAbsent(u.root(), u));
            }
          }
        }
      }
      List<String> kept = new ArrayList<>();
      keepAll(ctx, named.values(), kept);
      found.add(requirements + ": " + names + " requirements, " + named.size() + " distributions found");
      found.addAll(kept);
    }
  }

  /** "Flask>=2; python_version..." gives "Flask"; comments, options and URLs give nothing. */
  private static final java.util.regex.Pattern REQUIREMENT =
      java.util.regex.Pattern.compile("\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(\\[[^]]*])?\\s*([<>=!~;@ ]|$)");

  /** The top-level modules a .dist-info or .egg-info names: top_level.txt, else the first parts of RECORD's paths. */
  private static List<String> topLevelModules(UnitContext ctx, UnixPath meta) {
    Optional<String> top = readText(ctx, meta.child("top_level.txt"));
    if (top.isPresent()) {
      return top.get().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
    TreeSet<String> modules = new TreeSet<>();
    readText(ctx, meta.child("RECORD")).ifPresent(record -> record.lines().forEach(line -> {
      String path = line.contains(",") ? line.substring(0, line.indexOf(',')) : line;
      String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
      if (first.endsWith(".py")) {
        first = first.substring(0, first.length() - 3);
      }
      if (!first.isEmpty() && !first.startsWith("..") && !first.endsWith(".dist-info") && !first.equals("__pycache__")
          && !first.endsWith(".pth") && !first.contains(".")) {
        modules.add(first);
      }
    }));
    return List.copyOf(modules);
  }

  private static void keepAll(UnitContext ctx, Collection<Unit> units, List<String> found) {
    for (Unit u : units) {
      KeptBecause because = new KeptBecause(KeepReason.CODE_UNIT, u.kind() + " " + u.root());
      long bytes = ctx.keepTree(u.root(), because, u.skip());
      for (UnixPath meta : u.metadata()) {
        bytes += ctx.keepTree(meta, because, p -> false);
      }
      found.add(u.kind() + " " + u.root() + " (" + bytes + " bytes added)");
    }
  }

  /** Kept Python sources, and the sources of kept bytecode files, sorted. */
  private static SortedSet<UnixPath> pythonSources(UnitContext ctx) {
    SortedSet<UnixPath> sources = new TreeSet<>();
    for (UnixPath kept : ctx.keep().paths()) {
      if (kept.nameEndsWith(".py")) {
        sources.add(kept);
      } else if (kept.nameEndsWith(".pyc")) {
        KeepSetSelector.pythonSourceOf(kept).filter(s -> ctx.fs().entry(s).isPresent()).ifPresent(sources::add);
      }
    }
    return sources;
  }

  /**
   * The site directories of the Python interpreters the app used: those holding a file it
   * opened, and those next to each standard library it used ({@code pythonX.Y/site-packages},
   * Debian's {@code python3/dist-packages}, {@code /usr/local/lib/pythonX.Y/dist-packages}).
   */
  private static List<UnixPath> pythonSiteDirectories(UnitContext ctx) {
    Set<UnixPath> dirs = new LinkedHashSet<>();
    for (UnixPath used : ctx.log().files()) {
      for (UnixPath a = used.parent(); !a.isRoot(); a = a.parent()) {
        if (a.nameEquals("site-packages") || a.nameEquals("dist-packages")) {
          dirs.add(a);
          break;
        }
        if (a.nameStartsWith("python") && ctx.fs().entry(a.child("os.py")).isPresent()) {
          String name = a.toUtf8().map(t -> t.substring(t.lastIndexOf('/') + 1)).orElse("");
          for (UnixPath site : List.of(a.child("site-packages"), a.child("dist-packages"),
              a.parent().child("python3").child("dist-packages"),
              UnixPath.of("/usr/local/lib").child(name).child("site-packages"),
              UnixPath.of("/usr/local/lib").child(name).child("dist-packages"))) {
            if (ctx.isDirectory(site)) {
              dirs.add(site);
            }
          }
          break;
        }
      }
    }
    return List.copyOf(dirs);
  }

  /** The top-level package directory, module file or extension module named {@code name} in a site directory. */
  private static Optional<UnixPath> topLevelModule(UnitContext ctx, UnixPath site, String name) {
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

  private Optional<Unit> find(UnitContext ctx, UnixPath used, Map<UnixPath, Map<String, List<UnixPath>>> meta) {
    for (UnixPath a = used; !a.isRoot(); a = a.parent()) {
      UnixPath parent = a.parent();
      // Node: the nearest package directory wins, so a nested package is a unit of its own.
      if (parent.nameEquals("node_modules") && !a.nameStartsWith("@") && ctx.isDirectory(a)) {
        return Optional.of(new Unit("node package", a, List.of(), UnitContext::isCodeContainer));
      }
      if (parent.nameStartsWith("@") && parent.parent().nameEquals("node_modules") && ctx.isDirectory(a)) {
        return Optional.of(new Unit("node package", a, List.of(), UnitContext::isCodeContainer));
      }
      if (parent.nameEquals("nodejs") && ctx.fs().entry(a.child("package.json")).isPresent()) {
        return Optional.of(new Unit("node package", a, List.of(), UnitContext::isCodeContainer));
      }
      if (parent.nameEquals("site-packages") || parent.nameEquals("dist-packages")) {
        return pythonDistribution(ctx, a, meta);
      }
      if (parent.nameEquals("gems") && ctx.isDirectory(a) && ctx.isDirectory(parent.parent().child("specifications"))) {
        List<UnixPath> spec = new ArrayList<>();
        UnixPath gemspec = parent.parent().child("specifications").child(concat(a.name(), ".gemspec"));
        ctx.fs().entry(gemspec).ifPresent(e -> spec.add(gemspec));
        return Optional.of(new Unit("ruby gem", a, spec, p -> false));
      }
      if (parent.parent().nameEquals("vendor") && ctx.isDirectory(a) && isComposerVendor(ctx, parent.parent())) {
        return Optional.of(new Unit("composer package", a, List.of(), p -> false));
      }
      if (parent.nameEquals("vendor") && a.nameEquals("composer") && isComposerVendor(ctx, parent)) {
        return Optional.of(new Unit("composer autoloader", a, List.of(), p -> false));
      }
      if (ctx.isDirectory(a.child("WEB-INF"))) {
        return Optional.of(new Unit("java web application", a, List.of(), p -> false));
      }
    }
    return Optional.empty();
  }

  private static boolean isComposerVendor(UnitContext ctx, UnixPath vendor) {
    return ctx.fs().entry(vendor.child("autoload.php")).isPresent();
  }

  /**
   * The top-level package (or module) {@code top} of a site directory, with the metadata
   * directories that name it in their top_level.txt, or whose distribution name matches.
   */
  private Optional<Unit> pythonDistribution(UnitContext ctx, UnixPath top,
      Map<UnixPath, Map<String, List<UnixPath>>> meta) {
    if (top.nameEquals("__pycache__")) {
      return Optional.empty(); // caches of top-level modules: the module itself is the unit
    }
    if (top.nameEndsWith(".dist-info") || top.nameEndsWith(".egg-info")) {
      return Optional.of(new Unit("python distribution metadata", top, List.of(), p -> false));
    }
    Optional<String> moduleName = moduleName(top);
    if (moduleName.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<UnixPath>> byModule = meta.computeIfAbsent(top.parent(), dir -> metadataByModule(ctx, dir));
    List<UnixPath> metadata = new ArrayList<>(byModule.getOrDefault(normalize(moduleName.get()), List.of()));
    if (!ctx.isDirectory(top)) {
      // a top-level module: its compiled caches come with it
      UnixPath cache = top.parent().child("__pycache__");
      for (FileEntry e : ctx.fs().below(cache)) {
        if (e.path().nameStartsWith(moduleName.get() + ".")) {
          metadata.add(e.path());
        }
      }
    }
    return Optional.of(new Unit("python distribution", top, metadata, p -> false));
  }

  /** "flask" of "flask", "yaml" of "yaml.py", "_cffi_backend" of "_cffi_backend.cpython-311-x86_64-linux-gnu.so". */
  private static Optional<String> moduleName(UnixPath top) {
    return top.toUtf8().map(t -> {
      String name = t.substring(t.lastIndexOf('/') + 1);
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    });
  }

  /** For a site directory: module name (normalized) to the metadata directories of its distribution. */
  private static Map<String, List<UnixPath>> metadataByModule(UnitContext ctx, UnixPath siteDir) {
    Map<String, List<UnixPath>> byModule = new HashMap<>();
    for (FileEntry e : ctx.fs().below(siteDir)) {
      UnixPath p = e.path();
      if (!p.parent().equals(siteDir) || !(p.nameEndsWith(".dist-info") || p.nameEndsWith(".egg-info"))) {
        continue;
      }
      List<String> modules = new ArrayList<>();
      if (e.isDirectory()) {
        readText(ctx, p.child("top_level.txt")).ifPresent(text -> text.lines().map(String::strip)
            .filter(line -> !line.isEmpty()).forEach(modules::add));
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
  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_");
  }

  private static Optional<String> readText(UnitContext ctx, UnixPath path) {
    return ctx.head(path, (int) MAX_TOP_LEVEL_BYTES).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] name, String suffix) {
    byte[] s = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] joined = Arrays.copyOf(name, name.length + s.length);
    System.arraycopy(s, 0, joined, name.length, s.length);
    return joined;
  }
}
