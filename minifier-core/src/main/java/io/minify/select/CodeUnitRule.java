package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@link KeepUnit#CODE_UNITS}: interpreted code loads its files lazily, a route at a time
 * ({@code Cannot find module '../encodings'} when body-parser first decodes a JSON body). A
 * file the app loaded keeps what the code unit it belongs to can load:
 * <ul>
 *   <li>the Node package ({@code node_modules/NAME}, {@code node_modules/@SCOPE/NAME},
 *       Debian's {@code nodejs/NAME}): its entry points and what they require, transitively,
 *       found by reading the scripts ({@link NodePackages});
 *   <li>the Python distribution (the top-level package or module under site-packages or
 *       dist-packages, with its .dist-info or .egg-info metadata): the modules kept code
 *       imports, transitively, with its package data ({@link PythonDistributions});
 *   <li>the Ruby gem ({@code gems/NAME-VERSION} and its gemspec): {@code lib/NAME.rb} and
 *       what it requires, transitively, with the data beside it ({@link RubyGems});
 *   <li>the Composer package ({@code vendor/VENDOR/NAME}, and {@code vendor/composer}), whole;
 *   <li>the Java web application (the directory holding {@code WEB-INF}), whole.
 * </ul>
 * Where a computed load defeats the scan, the directory (or the unit) it can reach is kept
 * whole, and the unit's report line says so. What the app's own code loads by name (a
 * {@code require} inside a handler, an {@code import yaml} in a function), what its manifests
 * declare ({@link ManifestDependencies}, {@code requirements.txt}) and what another kept unit
 * loads are units as well.
 */
final class CodeUnitRule implements KeepUnitRule {
  private static final long MAX_TOP_LEVEL_BYTES = 1 << 20;
  /** Directories of the app's code roots whose scripts are not the app's at run time. */
  private static final Set<String> NOT_APP_CODE = Set.of("node_modules", ".git", "test", "tests", "__tests__",
      "spec", "specs");

  /** A unit kept whole: its kind, root, and what not to descend into. */
  private record Unit(String kind, UnixPath root, Predicate<UnixPath> skip) {}

  private final List<AppRoots.Root> roots;

  /** @param roots the app's code roots, whose manifests name dependencies */
  CodeUnitRule(List<AppRoots.Root> roots) {
    this.roots = List.copyOf(roots);
  }


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    NodePackages node = new NodePackages(ctx);
    List<UnixPath> siteDirs = pythonSiteDirectories(ctx);
    PythonDistributions python = new PythonDistributions(ctx, siteDirs);
    RubyGems gems = new RubyGems(ctx);
    // the app's own sources, read before the units add to what is kept
    SortedSet<UnixPath> pythonSources = pythonSources(ctx);
    SortedSet<UnixPath> appScripts = appSources(ctx, List.of(".js", ".cjs", ".mjs"),
        p -> NodePackages.packageOf(ctx, p).isEmpty());
    SortedSet<UnixPath> appRuby = appSources(ctx, List.of(".rb", ".ru"), p -> RubyGems.gemOf(ctx, p).isEmpty());

    TreeMap<UnixPath, Unit> whole = new TreeMap<>();
    for (UnixPath used : ctx.usedInImage()) {
      switch (kindOf(ctx, used)) {
        case NODE -> node.observed(used);
        case PYTHON -> python.observed(used);
        case GEM -> gems.observed(used);
        case OTHER -> find(ctx, used).ifPresent(u -> whole.putIfAbsent(u.root(), u));
        case NONE -> { }
      }
    }
    List<FoundUnit> found = new ArrayList<>();
    keepAll(ctx, whole.values(), found);
    // What the app's own manifests declare: a dependency required inside a handler is loaded
    // only when that route runs
    found.addAll(ManifestDependencies.keep(ctx, roots, node, gems));
    found.addAll(keepRequirements(ctx, roots, siteDirs, python));
    // What the app's own code loads by name, wherever in the file: a deep require
    // ('lodash/fp') in a route not probed loads a file no entry point reaches
    appScripts.forEach(node::scanAppSource);
    appRuby.forEach(gems::scanAppSource);
    pythonSources.forEach(python::source);
    node.run();
    gems.run();
    python.run();
    found.addAll(node.found());
    found.addAll(python.found());
    found.addAll(gems.found());
    return found;
  }

  private enum Kind { NODE, PYTHON, GEM, OTHER, NONE }

  /** Which ecosystem's unit a used path lies in: the nearest unit directory upwards wins. */
  private static Kind kindOf(UnitContext ctx, UnixPath used) {
    for (UnixPath a = used; !a.isRoot(); a = a.parent()) {
      UnixPath parent = a.parent();
      if (NodePackages.packageOf(ctx, a).filter(a::equals).isPresent()) {
        return Kind.NODE;
      }
      if (parent.nameEquals("site-packages") || parent.nameEquals("dist-packages")) {
        return Kind.PYTHON;
      }
      if (parent.nameEquals("gems") && ctx.isDirectory(a) && ctx.isDirectory(parent.parent().child("specifications"))) {
        return Kind.GEM;
      }
      if ((parent.parent().nameEquals("vendor") && ctx.isDirectory(a) && isComposerVendor(ctx, parent.parent()))
          || (parent.nameEquals("vendor") && a.nameEquals("composer") && isComposerVendor(ctx, parent))
          || ctx.isDirectory(a.child("WEB-INF"))) {
        return Kind.OTHER;
      }
    }
    return Kind.NONE;
  }

  /**
   * The app's own sources with one of {@code suffixes}: those kept so far that no unit holds,
   * and those in its code roots but for tests and version control (a route not probed is
   * code all the same).
   */
  private SortedSet<UnixPath> appSources(UnitContext ctx, List<String> suffixes, Predicate<UnixPath> notInUnit) {
    SortedSet<UnixPath> sources = new TreeSet<>();
    for (UnixPath kept : ctx.keep().paths()) {
      if (suffixes.stream().anyMatch(kept::nameEndsWith) && notInUnit.test(kept)
          && ctx.fs().entry(kept).filter(FileEntry::hasContent).isPresent()) {
        sources.add(kept);
      }
    }
    for (AppRoots.Root root : roots) {
      for (FileEntry e : ctx.fs().below(root.path())) {
        UnixPath p = e.path();
        if (e.hasContent() && suffixes.stream().anyMatch(p::nameEndsWith) && !inSkippedDirectory(p, root.path())
            && notInUnit.test(p)) {
          sources.add(p);
        }
      }
    }
    return sources;
  }

  private static boolean inSkippedDirectory(UnixPath p, UnixPath root) {
    for (UnixPath a = p.parent(); !a.equals(root) && !a.isRoot(); a = a.parent()) {
      for (String name : NOT_APP_CODE) {
        if (a.nameEquals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The distributions a code root's {@code requirements.txt} names, found by their metadata
   * in the site directories (the modules its {@code top_level.txt} or {@code RECORD} names).
   */
  private static List<FoundUnit> keepRequirements(UnitContext ctx, List<AppRoots.Root> roots, List<UnixPath> siteDirs,
      PythonDistributions python) {
    List<FoundUnit> found = new ArrayList<>();
    for (AppRoots.Root root : roots) {
      UnixPath requirements = root.path().child("requirements.txt");
      Optional<String> text = readText(ctx, requirements);
      if (text.isEmpty() || siteDirs.isEmpty()) {
        continue;
      }
      Set<UnixPath> named = new LinkedHashSet<>();
      int names = 0;
      for (String line : text.get().lines().toList()) {
        java.util.regex.Matcher m = REQUIREMENT.matcher(line);
        if (!m.lookingAt()) {
          continue;
        }
        names++;
        String dist = PythonDistributions.normalize(m.group(1));
        for (UnixPath site : siteDirs) {
          Map<String, List<UnixPath>> byModule = python.metadataOf(site);
          for (UnixPath meta : byModule.getOrDefault(dist, List.of())) {
            for (String module : topLevelModules(ctx, meta)) {
              PythonDistributions.topLevelModule(ctx, site, module)
                  .filter(top -> python.enter(top, "python distribution required by " + requirements).isPresent())
                  .ifPresent(named::add);
            }
          }
        }
      }
      found.add(new FoundUnit.Part(requirements.toString(), names + " requirements, " + named.size()
          + " distributions found", OptionalLong.empty()));
    }
    return found;
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

  private static void keepAll(UnitContext ctx, Iterable<Unit> units, List<FoundUnit> found) {
    for (Unit u : units) {
      KeptBecause because = new KeptBecause(KeepReason.CODE_UNIT, u.kind() + " " + u.root());
      long bytes = ctx.keepTree(u.root(), because, u.skip());
      found.add(new FoundUnit.Part(u.kind() + " " + u.root(), "whole", OptionalLong.of(bytes)));
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

  /** The Composer package or Java web application a used path lies in: kept whole. */
  private static Optional<Unit> find(UnitContext ctx, UnixPath used) {
    for (UnixPath a = used; !a.isRoot(); a = a.parent()) {
      UnixPath parent = a.parent();
      if (parent.parent().nameEquals("vendor") && ctx.isDirectory(a) && isComposerVendor(ctx, parent.parent())) {
        return Optional.of(new Unit("composer package", a, p -> false));
      }
      if (parent.nameEquals("vendor") && a.nameEquals("composer") && isComposerVendor(ctx, parent)) {
        return Optional.of(new Unit("composer autoloader", a, p -> false));
      }
      if (ctx.isDirectory(a.child("WEB-INF"))) {
        return Optional.of(new Unit("java web application", a, p -> false));
      }
    }
    return Optional.empty();
  }

  private static boolean isComposerVendor(UnitContext ctx, UnixPath vendor) {
    return ctx.fs().entry(vendor.child("autoload.php")).isPresent();
  }

  private static Optional<String> readText(UnitContext ctx, UnixPath path) {
    return ctx.head(path, (int) MAX_TOP_LEVEL_BYTES).map(b -> new String(b, StandardCharsets.UTF_8));
  }
}
