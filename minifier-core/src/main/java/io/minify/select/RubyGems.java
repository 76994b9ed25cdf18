package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ruby gems of {@link KeepUnit#CODE_UNITS} ({@code gems/NAME-VERSION} beside a
 * {@code specifications} directory), each kept by what it can load rather than whole. A
 * gem's roots are the files of it the app loaded and {@code lib/NAME.rb} (what
 * {@code Bundler.require} loads; {@code lib/net/http.rb} for net-http); each kept file is read
 * for what it loads by a literal name ({@link RubyRequires}), resolved against the gem's
 * require paths and then every gem's: a feature of another gem keeps that gem by the same
 * rule. Kept with it: its gemspec, its built extensions ({@code extensions/PLATFORM/API/NAME-VERSION}),
 * the files under its require paths that are not Ruby (templates, data, {@code .so}), and its
 * other top-level directories ({@code data/}, {@code app/}, {@code exe/}: read by path);
 * never its {@code test/}, {@code spec/}, {@code doc/} or {@code ext/} sources unless loaded.
 * Where the scan cannot follow, it keeps more: a load by a computed name keeps the file's
 * directory under the require path whole, Zeitwerk keeps the require paths whole, and a gem
 * nothing loads a file of by name (no {@code lib/NAME.rb}) is kept whole.
 */
final class RubyGems {
  private static final int MAX_SOURCE_BYTES = 8 << 20;
  private static final Pattern GEM_DIR = Pattern.compile("(.+?)-(\\d[\\w.]*)(?:-(.+))?");
  private static final Pattern REQUIRE_PATHS = Pattern.compile("require_paths\\s*=\\s*\\[([^\\]]*)]");
  private static final Pattern QUOTED = Pattern.compile("[\"']([^\"']+)[\"']");
  private static final Set<String> NOT_KEPT = Set.of("test", "tests", "spec", "specs", "doc", "docs", "ext",
      "example", "examples", "sample", "samples", "benchmark", "benchmarks", "bench", "features", "sig", "man",
      ".github");
  private static final List<String> FEATURE_EXTENSIONS = List.of(".rb", ".so", ".bundle");

  /** A gem directory, its name and its require paths (absolute). */
  private record Gem(UnixPath dir, String name, List<UnixPath> requirePaths, UnixPath spec) {}

  private final UnitContext ctx;
  private final SortedSet<UnixPath> observed;
  private final Map<UnixPath, ScannedUnit> units = new TreeMap<>();
  private final Map<UnixPath, Gem> gemInfo = new TreeMap<>();
  private final Deque<UnixPath> queue = new ArrayDeque<>();
  private final Set<UnixPath> queued = new HashSet<>();
  private Map<String, List<UnixPath>> features;

  RubyGems(UnitContext ctx) {
    this.ctx = ctx;
    this.observed = ctx.usedInImage();
  }

  /** The gem {@code path} lies in: {@code .../gems/NAME-VERSION} beside a {@code specifications} directory. */
  static Optional<UnixPath> gemOf(UnitContext ctx, UnixPath path) {
    for (UnixPath a = path; !a.isRoot(); a = a.parent()) {
      UnixPath parent = a.parent();
      if (parent.nameEquals("gems") && ctx.isDirectory(a) && ctx.isDirectory(parent.parent().child("specifications"))) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** A file (or directory) of a gem the app loaded. */
  void observed(UnixPath path) {
    gemOf(ctx, path).ifPresent(g -> {
      ScannedUnit u = enter(g, "");
      if (ctx.isDirectory(path)) {
        u.keep(ctx, path);
      } else {
        keepFile(path);
      }
    });
  }

  /** A gem a lock file names. */
  void locked(UnixPath gem, String via) {
    enter(gem, via);
  }

  /** Reads one of the app's own Ruby files: the gem features it requires are kept. */
  void scanAppSource(UnixPath file) {
    ctx.head(file, MAX_SOURCE_BYTES).map(RubyRequires::of).ifPresent(scan -> scan.requires().stream()
        .filter(r -> !r.dynamic() && !r.relative()).forEach(r -> feature(file, r.feature(), null)));
  }

  void run() {
    while (true) {
      while (!queue.isEmpty()) {
        scan(queue.removeFirst());
      }
      // a gem entered but of which nothing is loaded by name: what loads it is not known
      boolean more = false;
      for (ScannedUnit u : List.copyOf(units.values())) {
        if (!u.isWhole() && !loadsAnything(u)) {
          whole(u, "no lib/" + gem(u.root()).name() + ".rb, and the app loaded none of its files");
          more = true;
        }
      }
      if (!more) {
        return;
      }
    }
  }

  /** One found unit per package, sorted by path. */
  List<FoundUnit> found() {
    return units.values().stream().map(ScannedUnit::found).toList();
  }

  private boolean loadsAnything(ScannedUnit u) {
    for (UnixPath rp : gem(u.root()).requirePaths()) {
      for (FileEntry e : ctx.fs().below(rp)) {
        if (isFeatureFile(e.path()) && ctx.keep().contains(e.path())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isFeatureFile(UnixPath p) {
    return FEATURE_EXTENSIONS.stream().anyMatch(p::nameEndsWith);
  }

  private Gem gem(UnixPath dir) {
    return gemInfo.computeIfAbsent(dir, d -> {
      String base = new String(d.name(), StandardCharsets.UTF_8);
      Matcher m = GEM_DIR.matcher(base);
      String name = m.matches() ? m.group(1) : base;
      UnixPath spec = d.parent().parent().child("specifications").child(concat(d.name(), ".gemspec"));
      List<UnixPath> paths = new ArrayList<>();
      Optional<String> text = ctx.head(spec, 1 << 20).map(b -> new String(b, StandardCharsets.UTF_8));
      Matcher rp = REQUIRE_PATHS.matcher(text.orElse(""));
      if (rp.find()) {
        Matcher q = QUOTED.matcher(rp.group(1));
        while (q.find()) {
          UnixPath p = q.group(1).startsWith("/") ? UnixPath.of(q.group(1)) : d.resolve(q.group(1));
          if (p.isBelow(d) && ctx.isDirectory(p)) {
            paths.add(p);
          }
        }
      }
      if (paths.isEmpty() && ctx.isDirectory(d.child("lib"))) {
        paths.add(d.child("lib"));
      }
      return new Gem(d, name, List.copyOf(paths), spec);
    });
  }

  private ScannedUnit enter(UnixPath dir, String via) {
    ScannedUnit u = units.get(dir);
    if (u != null) {
      return u;
    }
    u = new ScannedUnit("ruby gem", dir, via);
    units.put(dir, u);
    Gem g = gem(dir);
    u.keep(ctx, dir);
    if (ctx.fs().entry(g.spec()).isPresent()) {
      u.keep(ctx, g.spec());
    }
    // extensions rubygems built at install time, on the load path beside lib/
    UnixPath extensions = dir.parent().parent().child("extensions");
    for (FileEntry e : ctx.fs().below(extensions)) {
      if (e.isDirectory() && e.path().depth() == extensions.depth() + 3
          && java.util.Arrays.equals(e.path().name(), dir.name())) {
        u.keepTree(ctx, e.path(), p -> false);
      }
    }
    for (UnixPath rp : g.requirePaths()) {
      for (FileEntry e : ctx.fs().below(rp)) {
        if (!e.isDirectory() && !e.path().nameEndsWith(".rb")) {
          u.keepUnnamed(ctx, e.path()); // templates, data, built .so under lib/
        }
      }
    }
    for (FileEntry e : ctx.fs().below(dir)) {
      UnixPath p = e.path();
      if (!p.parent().equals(dir)) {
        continue;
      }
      if (e.isDirectory() && !g.requirePaths().contains(p) && NOT_KEPT.stream().noneMatch(p::nameEquals)) {
        keepTreeAndQueue(u, p, g); // data/, app/, exe/, vendor/: read or run by path
      } else if (!e.isDirectory() && (p.nameEndsWith(".gemspec") || p.nameEquals("VERSION"))) {
        u.keep(ctx, p);
      }
    }
    for (UnixPath rp : g.requirePaths()) {
      for (String root : rootNames(g.name())) {
        UnixPath file = rp.resolve(root + ".rb");
        if (ctx.fs().entry(file).filter(FileEntry::hasContent).isPresent()) {
          keepFile(file);
        }
      }
    }
    for (UnixPath p : observed.subSet(dir.subtreeStart(), dir.subtreeEnd())) {
      if (!ctx.isDirectory(p)) {
        keepFile(p);
      }
    }
    return u;
  }

  /** What Bundler.require loads of a gem: "rack" of rack; "net-http" and then "net/http" of net-http. */
  private static List<String> rootNames(String name) {
    String nested = name.replace('-', '/');
    return nested.equals(name) ? List.of(name) : List.of(name, nested);
  }

  private void keepTreeAndQueue(ScannedUnit u, UnixPath dir, Gem g) {
    u.keepTree(ctx, dir, p -> false);
    for (FileEntry e : ctx.fs().below(dir)) {
      if (e.path().nameEndsWith(".rb") && e.hasContent()) {
        enqueue(e.path());
      }
    }
  }

  private void whole(ScannedUnit u, String reason) {
    if (u.isWhole()) {
      return;
    }
    u.markWhole(reason);
    Gem g = gem(u.root());
    for (FileEntry e : ctx.fs().below(u.root())) {
      UnixPath p = e.path();
      if (p.parent().equals(u.root()) && (g.requirePaths().contains(p)
          || NOT_KEPT.stream().noneMatch(p::nameEquals))) {
        if (e.isDirectory()) {
          keepTreeAndQueue(u, p, g);
        } else {
          u.keep(ctx, p);
        }
      }
    }
  }

  private void keepDirectory(ScannedUnit u, UnixPath dir, String reason) {
    if (u.inWholeDirectory(dir)) {
      return;
    }
    u.wholeDirectory(dir, reason);
    keepTreeAndQueue(u, dir, gem(u.root()));
  }

  private void keepFile(UnixPath file) {
    Optional<UnixPath> g = gemOf(ctx, file);
    if (g.isEmpty() || ctx.fs().entry(file).isEmpty()) {
      return;
    }
    ScannedUnit u = enter(g.get(), "");
    u.keep(ctx, file);
    if (file.nameEndsWith(".rb")) {
      enqueue(file);
    }
  }

  private void enqueue(UnixPath file) {
    if (queued.add(file)) {
      queue.add(file);
    }
  }

  private void scan(UnixPath file) {
    Optional<UnixPath> dir = gemOf(ctx, file);
    Optional<byte[]> text = ctx.head(file, MAX_SOURCE_BYTES);
    if (dir.isEmpty() || text.isEmpty()) {
      return;
    }
    ScannedUnit u = enter(dir.get(), "");
    Gem g = gem(dir.get());
    RubyRequires.Scan scan = RubyRequires.of(text.get());
    for (RubyRequires.Require r : scan.requires()) {
      if (r.dynamic()) {
        computed(file, r.call(), r.relative(), r.feature(), u, g);
      } else if (r.relative()) {
        UnixPath base = file.parent().resolve(r.feature());
        UnixPath rb = r.feature().endsWith(".rb") ? base
            : base.parent().child(new String(base.name(), StandardCharsets.UTF_8) + ".rb");
        keepFile(ctx.fs().entry(rb).isPresent() ? rb : base);
      } else {
        feature(file, r.feature(), g);
      }
    }
    if (scan.sendsRequire()) {
      computed(file, RubyRequires.Call.REQUIRE, false, "", u, g);
    }
    if (scan.zeitwerk()) {
      for (UnixPath rp : g.requirePaths()) {
        keepDirectory(u, rp, "Zeitwerk loads its files by their names, set up in " + u.relative(file));
      }
    }
  }

  /** {@code require 'x'} from {@code file}: the gem's own require paths first, then every gem's. */
  private void feature(UnixPath file, String feature, Gem own) {
    String f = feature;
    for (String ext : FEATURE_EXTENSIONS) {
      if (f.endsWith(ext)) {
        f = f.substring(0, f.length() - ext.length());
      }
    }
    if (f.isEmpty() || f.startsWith("/") || f.startsWith(".")) {
      return;
    }
    if (own != null) {
      List<UnixPath> found = featureFiles(own, f);
      if (!found.isEmpty()) {
        found.forEach(this::keepFile);
        return;
      }
    }
    List<UnixPath> gems = features().getOrDefault(f, List.of());
    List<UnixPath> entered = gems.stream().filter(units::containsKey).toList();
    for (UnixPath dir : entered.isEmpty() ? gems : entered) {
      enter(dir, ", required by " + file);
      featureFiles(gem(dir), f).forEach(this::keepFile);
    }
  }

  private List<UnixPath> featureFiles(Gem g, String feature) {
    List<UnixPath> found = new ArrayList<>();
    for (UnixPath rp : g.requirePaths()) {
      for (String ext : FEATURE_EXTENSIONS) {
        UnixPath p = rp.resolve(feature + ext);
        if (p.isBelow(rp) && ctx.fs().entry(p).filter(e -> !e.isDirectory()).isPresent()) {
          found.add(p);
          return found;
        }
      }
    }
    return found;
  }

  /** Feature name ("sinatra/base") to the gems whose require paths hold it, built once. */
  private Map<String, List<UnixPath>> features() {
    if (features == null) {
      features = new TreeMap<>();
      for (FileEntry e : ctx.fs().entries()) {
        UnixPath p = e.path();
        if (!e.isDirectory() || !p.parent().nameEquals("gems")
            || !ctx.isDirectory(p.parent().parent().child("specifications"))) {
          continue;
        }
        for (UnixPath rp : gem(p).requirePaths()) {
          String base = rp.toString();
          for (FileEntry f : ctx.fs().below(rp)) {
            if (f.isDirectory() || !isFeatureFile(f.path())) {
              continue;
            }
            String rel = f.path().toString().substring(base.length() + 1);
            String name = rel.substring(0, rel.lastIndexOf('.'));
            List<UnixPath> gems = features.computeIfAbsent(name, k -> new ArrayList<>());
            if (!gems.contains(p)) {
              gems.add(p);
            }
          }
        }
      }
    }
    return features;
  }

  /** A load by a computed name that starts with {@code prefix}: the directory it names, else the file's. */
  private void computed(UnixPath file, RubyRequires.Call call, boolean relative, String prefix, ScannedUnit u,
      Gem g) {
    String reason = call.word() + " with a computed name in " + u.relative(file);
    UnixPath dir = file.parent();
    if (prefix.contains("/")) {
      String head = prefix.substring(0, prefix.lastIndexOf('/') + 1);
      List<UnixPath> bases = relative ? List.of(file.parent()) : g.requirePaths();
      for (UnixPath base : bases) {
        UnixPath named = base.resolve(head);
        if (ctx.isDirectory(named) && named.isBelow(u.root())) {
          dir = named;
          break;
        }
      }
    }
    if (!dir.isBelow(u.root())) {
      whole(u, reason);
    } else {
      keepDirectory(u, dir, reason);
    }
  }

  private static byte[] concat(byte[] name, String suffix) {
    byte[] s = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] joined = java.util.Arrays.copyOf(name, name.length + s.length);
    System.arraycopy(s, 0, joined, name.length, s.length);
    return joined;
  }
}
