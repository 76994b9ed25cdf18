package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 */
final class CodeUnitRule implements KeepUnitRule {
  private static final long MAX_TOP_LEVEL_BYTES = 1 << 20;

  /** A unit found: its kind, root, metadata kept with it, and what not to descend into. */
  private record Unit(String kind, UnixPath root, List<UnixPath> metadata, Predicate<UnixPath> skip) {}

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
    for (Unit u : units.values()) {
      KeptBecause because = new KeptBecause(KeepReason.CODE_UNIT, u.kind() + " " + u.root());
      long bytes = ctx.keepTree(u.root(), because, u.skip());
      for (UnixPath meta : u.metadata()) {
        bytes += ctx.keepTree(meta, because, p -> false);
      }
      found.add(u.kind() + " " + u.root() + " (" + bytes + " bytes added)");
    }
    return found;
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
    byte[] joined = java.util.Arrays.copyOf(name, name.length + s.length);
    System.arraycopy(s, 0, joined, name.length, s.length);
    return joined;
  }
}
