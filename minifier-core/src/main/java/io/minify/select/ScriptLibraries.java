package io.minify.select;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import io.minify.shell.Shebang;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Ruby and Perl standard libraries of {@link KeepUnit#INTERPRETER_STDLIB}, kept by
 * require graph: what the app loaded (already kept, as observed), plus every feature or
 * module that kept code requires anywhere in its text ({@link RubyRequires},
 * {@link PerlRequires}: a {@code require 'csv'} inside a route's block runs only when the
 * route does), resolved against the library directories of that interpreter and scanned in
 * turn. A Ruby feature {@code x} is {@code x.rb} or {@code x.so} in any library dir (every
 * match is kept; one found in a gem's lib keeps that gem and its gemspec); a Perl module is
 * the first file of that name in {@code @INC} order, as perl loads it, with the files of its
 * {@code auto/} directory (XS objects, AutoLoader subs). Where a computed name defeats the
 * scan, the subtree it can load from is kept whole, and the report says which and why.
 * Requires in rubygems' and bundler's own files are not followed: those trees are kept whole
 * when loaded, and their lazy requires (net/http, openssl, irb) serve the gem commands.
 */
final class ScriptLibraries {
  private static final int MAX_SOURCE_BYTES = 8 << 20;
  private static final Pattern BUNDLER_GEM = Pattern.compile("(bundler|rubygems-update)-\\d.*");
  private static final Pattern PERL_VERSION = Pattern.compile("5\\.\\d+(\\.\\d+)?");

  enum Language { RUBY, PERL }

  /**
   * One interpreter's library.
   *
   * @param root     the directory named in the report (Ruby's lib dir, or the first Perl directory)
   * @param dirs     where features resolve, in load order: Ruby's lib dir, extension dirs,
   *                 vendor and site dirs; Perl's {@code @INC} directories
   * @param gemLibs  Ruby gem {@code lib} directories ({@code gems/NAME-VERSION/lib}): a feature
   *                 found there keeps its gem whole, with the gemspec rubygems finds it by
   * @param extDirs  Ruby's extension directories (their {@code enc/} is kept whole)
   */
  record Library(Language language, UnixPath root, List<UnixPath> dirs, List<UnixPath> gemLibs,
      List<UnixPath> extDirs) {
    Library {
      dirs = List.copyOf(dirs);
      gemLibs = List.copyOf(gemLibs);
      extDirs = List.copyOf(extDirs);
    }
  }

  private ScriptLibraries() {}

  /** The Ruby libraries of the roots the app loaded from (lib dirs holding rubygems.rb, extension dirs holding rbconfig.rb). */
  static List<Library> ruby(UnitContext ctx, Collection<UnixPath> roots) {
    Map<UnixPath, Set<UnixPath>> extByLib = new LinkedHashMap<>();
    for (UnixPath root : roots) {
      if (ctx.fs().entry(root.child("rubygems.rb")).isPresent()) {
        extByLib.computeIfAbsent(root, k -> new LinkedHashSet<>());
        continue;
      }
      // Debian: /usr/lib/<triplet>/ruby/X.Y.Z is the extension dir of /usr/lib/ruby/X.Y.Z
      UnixPath lib = root.parent().parent().parent().child("ruby").child(root.name());
      if (!ctx.fs().entry(lib.child("rubygems.rb")).isPresent()) {
        lib = root; // an extension dir with no library beside it: a library of its own
      }
      extByLib.computeIfAbsent(lib, k -> new LinkedHashSet<>()).add(root);
    }
    List<Library> libraries = new ArrayList<>();
    for (var e : extByLib.entrySet()) {
      UnixPath lib = e.getKey();
      String version = text(lib.name());
      Set<UnixPath> ext = new LinkedHashSet<>(e.getValue());
      // from source: /usr/local/lib/ruby/X.Y.Z/x86_64-linux; Debian: /usr/lib/<triplet>/ruby/X.Y.Z
      for (UnixPath child : childDirs(ctx, lib)) {
        if (ctx.fs().entry(child.child("rbconfig.rb")).isPresent()) {
          ext.add(child);
        }
      }
      UnixPath rubyDir = lib.parent();
      for (UnixPath triplet : triplets(ctx, rubyDir.parent())) {
        UnixPath candidate = triplet.child("ruby").child(lib.name());
        if (ctx.fs().entry(candidate.child("rbconfig.rb")).isPresent()) {
          ext.add(candidate);
        }
      }
      ext.remove(lib);
      List<UnixPath> candidates = new ArrayList<>();
      List<UnixPath> rubyDirs = new ArrayList<>(List.of(rubyDir));
      for (UnixPath x : ext) {
        if (!x.isBelow(lib)) {
          rubyDirs.add(x.parent());
        }
      }
      rubyDirs.add(UnixPath.of("/usr/local/lib"));
      for (String kind : List.of("site_ruby", "vendor_ruby")) {
        for (UnixPath r : rubyDirs) {
          candidates.add(r.child(kind).child(version));
          candidates.add(r.child(kind));
        }
      }
      candidates.add(lib);
      candidates.addAll(ext);
      List<UnixPath> gemLibs = new ArrayList<>();
      for (UnixPath home : List.of(rubyDir.child("gems").child(version), UnixPath.of("/var/lib/gems").child(version),
          UnixPath.of("/usr/local/bundle"))) {
        for (UnixPath gem : childDirs(ctx, home.child("gems"))) {
          if (ctx.isDirectory(gem.child("lib"))) {
            gemLibs.add(gem.child("lib"));
          }
        }
      }
      libraries.add(new Library(Language.RUBY, lib, existingDirs(ctx, candidates), gemLibs,
          existingDirs(ctx, ext)));
    }
    return libraries;
  }

  /**
   * The Perl library of the roots the app loaded from (directories holding strict.pm): every
   * directory of {@code @INC} the image has. Debian: /etc/perl, /usr/local/lib/TRIPLET/perl/V,
   * /usr/local/share/perl/V, /usr/lib/TRIPLET/perl5/V, /usr/share/perl5,
   * /usr/lib/TRIPLET/perl-base, /usr/lib/TRIPLET/perl/V, /usr/share/perl/V; built from source:
   * /usr/local/lib/perl5/{site_perl,vendor_perl,}/V and their ARCH directories.
   */
  static Optional<Library> perl(UnitContext ctx, Collection<UnixPath> roots) {
    if (roots.isEmpty()) {
      return Optional.empty();
    }
    Set<String> versions = new LinkedHashSet<>();
    Set<String> archs = new LinkedHashSet<>();
    List<UnixPath> triplets = new ArrayList<>(triplets(ctx, UnixPath.of("/usr/lib")));
    triplets.addAll(triplets(ctx, UnixPath.of("/usr/local/lib")));
    List<UnixPath> versioned = new ArrayList<>(roots);
    versioned.add(UnixPath.of("/usr/share/perl"));
    versioned.add(UnixPath.of("/usr/local/lib/perl5"));
    for (UnixPath t : triplets) {
      versioned.add(t.child("perl"));
    }
    for (UnixPath dir : versioned) {
      List<UnixPath> named = new ArrayList<>(childDirs(ctx, dir));
      named.add(dir);
      for (UnixPath d : named) {
        String name = text(d.name());
        if (PERL_VERSION.matcher(name).matches()) {
          versions.add(name);
          if (name.chars().filter(c -> c == '.').count() == 2) {
            versions.add(name.substring(0, name.lastIndexOf('.')));
          }
        }
      }
    }
    for (UnixPath root : roots) {
      for (UnixPath child : childDirs(ctx, root)) {
        if (ctx.fs().entry(child.child("Config.pm")).isPresent()) {
          archs.add(text(child.name()));
        }
      }
    }
    // in Debian's @INC order: perl loads the first file of that name it finds
    List<UnixPath> candidates = new ArrayList<>(List.of(UnixPath.of("/etc/perl")));
    for (String v : versions) {
      for (UnixPath t : triplets) {
        if (t.isBelow(UnixPath.of("/usr/local"))) {
          candidates.add(t.child("perl").child(v));
        }
      }
      candidates.add(UnixPath.of("/usr/local/share/perl").child(v));
    }
    for (String v : versions) {
      for (UnixPath t : triplets) {
        candidates.add(t.child("perl5").child(v));
      }
    }
    candidates.add(UnixPath.of("/usr/share/perl5"));
    for (UnixPath t : triplets) {
      candidates.add(t.child("perl-base"));
    }
    for (String v : versions) {
      for (UnixPath t : triplets) {
        candidates.add(t.child("perl").child(v));
      }
    }
    for (String v : versions) {
      candidates.add(UnixPath.of("/usr/share/perl").child(v));
    }
    candidates.add(UnixPath.of("/usr/local/lib/site_perl"));
    for (String kind : List.of("site_perl", "vendor_perl", "")) {
      for (String v : versions) {
        UnixPath base = kind.isEmpty() ? UnixPath.of("/usr/local/lib/perl5").child(v)
            : UnixPath.of("/usr/local/lib/perl5").child(kind).child(v);
        for (String arch : archs) {
          candidates.add(base.child(arch));
        }
        candidates.add(base);
      }
    }
    for (UnixPath root : roots) {
      for (String arch : archs) {
        candidates.add(root.child(arch));
      }
      candidates.add(root);
    }
    List<UnixPath> dirs = existingDirs(ctx, candidates);
    return Optional.of(new Library(Language.PERL, roots.iterator().next(), dirs, List.of(), List.of()));
  }

  /** Keeps what kept code requires from {@code lib}, transitively; returns what it found. */
  static FoundUnit keep(UnitContext ctx, Library lib) {
    return new Walk(ctx, lib).run();
  }

  /** The state of one library's walk: what is scanned, resolved and kept whole so far. */
  private static final class Walk {
    private final UnitContext ctx;
    private final Library lib;
    private final String name;
    private final Deque<UnixPath> toScan = new ArrayDeque<>();
    private final Set<UnixPath> scanned = new HashSet<>();
    private final Map<String, Boolean> resolved = new HashMap<>();
    private final Map<UnixPath, String> whole = new LinkedHashMap<>();
    private final Set<String> unbounded = new LinkedHashSet<>();
    private long scanBytes;
    private long wholeBytes;

    Walk(UnitContext ctx, Library lib) {
      this.ctx = ctx;
      this.lib = lib;
      this.name = lib.language() == Language.RUBY ? "ruby" : "perl";
    }

    FoundUnit run() {
      for (UnixPath kept : List.copyOf(ctx.keep().paths())) {
        if (isSource(kept)) {
          toScan.add(kept);
        }
      }
      if (lib.language() == Language.RUBY) {
        // encodings are loaded by name when a string meets one (Encoding.find, force_encoding)
        for (UnixPath ext : lib.extDirs()) {
          keepWhole(ext.child("enc"), "encodings are loaded by name at run time", false);
        }
        if (loaded(lib.root().child("rubygems.rb"), "rubygems")) {
          keepWhole(lib.root().child("rubygems.rb"), "rubygems is loaded at every start", false);
          keepWhole(lib.root().child("rubygems"), "rubygems is loaded at every start", false);
          keepWhole(lib.root().parent().child("gems").child(text(lib.root().name())).child("specifications")
              .child("default"), "rubygems finds default gems by these", false);
        }
        if (loaded(lib.root().child("bundler.rb"), "bundler")) {
          keepWhole(lib.root().child("bundler.rb"), "bundler was loaded", false);
          keepWhole(lib.root().child("bundler"), "bundler was loaded", false);
        }
      }
      boolean grew = true;
      while (grew) {
        while (!toScan.isEmpty()) {
          scan(toScan.removeFirst());
        }
        grew = lib.language() == Language.PERL && perlWholeTrees();
      }
      long features = resolved.values().stream().filter(b -> b).count();
      List<FoundUnit.WholeDirectory> parts = new ArrayList<>();
      whole.forEach((dir, why) -> parts.add(new FoundUnit.WholeDirectory(dir.toString(), why)));
      return new FoundUnit.Library(name + " " + lib.root(), features,
          lib.language() == Language.RUBY ? "features" : "modules", scanBytes, wholeBytes, parts,
          List.copyOf(unbounded));
    }

    /** Whether the app loaded {@code file}, or anything below a directory {@code name} of a library dir. */
    private boolean loaded(UnixPath file, String dirName) {
      for (UnixPath used : ctx.log().files()) {
        if (used.equals(file)) {
          return true;
        }
        for (UnixPath dir : lib.dirs()) {
          if (used.isBelow(dir.child(dirName))) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean isSource(UnixPath path) {
      if (lib.language() == Language.RUBY && path.nameEndsWith(".so") && isInLibrary(path)) {
        return ctx.fs().entry(path).map(FileEntry::hasContent).orElse(false);
      }
      boolean byName = lib.language() == Language.RUBY ? path.nameEndsWith(".rb") || path.nameEndsWith(".ru")
          : path.nameEndsWith(".pm") || path.nameEndsWith(".pl") || path.nameEndsWith(".psgi");
      if (byName) {
        return ctx.fs().entry(path).map(FileEntry::hasContent).orElse(false);
      }
      Optional<FileEntry> entry = ctx.fs().entry(path).filter(FileEntry::hasContent);
      if (entry.isEmpty() || (entry.get().mode() & 0111) == 0 || path.nameEndsWith(".so")) {
        return false;
      }
      // a script: "#!/usr/bin/env ruby", "#!/usr/bin/perl -w"
      byte[] head = ctx.head(path, 128).orElse(new byte[0]);
      if (!Shebang.startsScript(head)) {
        return false;
      }
      String shebang = new String(head, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      return shebang.contains(lib.language() == Language.RUBY ? "ruby" : "perl");
    }

    private void scan(UnixPath source) {
      if (!scanned.add(source) || isGemMachinery(source)) {
        return;
      }
      Optional<byte[]> text = ctx.head(source, MAX_SOURCE_BYTES);
      if (text.isEmpty()) {
        return;
      }
      KeptBecause because = new KeptBecause(KeepReason.STDLIB, name + " library " + lib.root() + ", required by "
          + source);
      if (lib.language() == Language.RUBY && source.nameEndsWith(".so")) {
        // a C extension requires Ruby files from C (psych.so: rb_require("psych/syntax_error"))
        for (String feature : RubyRequires.inExtension(text.get())) {
          rubyFeature(feature, because);
        }
      } else if (lib.language() == Language.RUBY) {
        for (RubyRequires.Require r : RubyRequires.of(text.get()).requires()) {
          if (r.dynamic()) {
            dynamic(source, r.relative() ? relativeTo(source, r.feature()) : r.feature(), because);
          } else if (r.relative()) {
            relativeFeature(source, r.feature(), because);
          } else {
            rubyFeature(r.feature(), because);
          }
        }
      } else {
        for (PerlRequires.Require r : PerlRequires.of(text.get())) {
          if (r.dynamic()) {
            dynamic(source, r.file(), because);
          } else {
            perlModule(r.file(), because);
          }
        }
        if (source.nameEndsWith(".pm")) {
          autoDir(source, because);
        }
      }
    }

    /**
     * Rubygems and bundler: kept whole when loaded, but what they require lazily (net/http
     * and openssl to fetch gems, psych for YAML gemspecs, irb for "bundle console") serves the
     * gem and bundle commands; what they load when the app runs they load at start, observed.
     */
    private boolean isGemMachinery(UnixPath source) {
      if (lib.language() != Language.RUBY) {
        return false;
      }
      Optional<UnixPath> dir = libraryDirOf(source);
      if (dir.isPresent()) {
        String rel = relative(dir.get(), source);
        return rel.equals("rubygems.rb") || rel.startsWith("rubygems/") || rel.equals("bundler.rb")
            || rel.startsWith("bundler/");
      }
      for (UnixPath a = source.parent(); !a.isRoot(); a = a.parent()) {
        if (a.parent().nameEquals("gems") && (BUNDLER_GEM.matcher(text(a.name())).matches())) {
          return true;
        }
      }
      return false;
    }

    /** A feature of the load path: x.rb or x.so in every library dir; a gem's lib keeps the gem. */
    private void rubyFeature(String feature, KeptBecause because) {
      if (resolved.containsKey(feature)) {
        return;
      }
      List<String> files = feature.endsWith(".rb") || feature.endsWith(".so") ? List.of(feature)
          : List.of(feature + ".rb", feature + ".so");
      boolean found = false;
      for (UnixPath dir : lib.dirs()) {
        for (String f : files) {
          found |= offerFile(dir, f, because);
        }
      }
      for (UnixPath gemLib : lib.gemLibs()) {
        for (String f : files) {
          Optional<UnixPath> file = fileBelow(gemLib, f);
          if (file.isPresent()) {
            found = true;
            keepGem(gemLib.parent(), because);
            offerAndScan(file.get(), because);
          }
        }
      }
      resolved.put(feature, found);
    }

    /** require_relative: the file beside the requiring one, wherever that is. */
    private void relativeFeature(UnixPath source, String feature, KeptBecause because) {
      if (feature.startsWith("/")) {
        return;
      }
      List<String> files = feature.endsWith(".rb") || feature.endsWith(".so") ? List.of(feature)
          : List.of(feature + ".rb", feature + ".so");
      for (String f : files) {
        // relative to the requiring file, up the tree too (psych/nodes/node.rb: '../scalar_scanner')
        UnixPath path = source.parent().resolve(f);
        Optional<FileEntry> entry = ctx.fs().entry(path);
        if (entry.isPresent() && !entry.get().isDirectory()) {
          offerAndScan(path, because);
        }
      }
    }

    /** A Perl module file in the first @INC dir that has it, as perl finds it, with its auto/ directory. */
    private void perlModule(String file, KeptBecause because) {
      if (resolved.containsKey(file)) {
        return;
      }
      boolean found = false;
      for (UnixPath dir : lib.dirs()) {
        if (offerFile(dir, file, because)) {
          found = true;
          if (file.endsWith(".pm")) {
            autoDir(dir.resolve(file), because);
          }
          break;
        }
      }
      resolved.put(file, found);
    }

    /**
     * XS and AutoLoader parts of module {@code dir/X/Y.pm}: the files of {@code auto/X/Y}
     * (Y.so, Y.bs, *.al, autosplit.ix) beside the module, else in the first @INC dir that has
     * them (XSLoader looks beside the module first, DynaLoader and AutoLoader search @INC); not
     * its sub-directories, which belong to X::Y's own sub-modules.
     */
    private void autoDir(UnixPath module, KeptBecause because) {
      Optional<UnixPath> dir = libraryDirOf(module);
      if (dir.isEmpty()) {
        return;
      }
      String rel = relative(dir.get(), module);
      String autoRel = "auto/" + rel.substring(0, rel.length() - ".pm".length());
      List<UnixPath> order = new ArrayList<>(List.of(dir.get()));
      order.addAll(lib.dirs());
      for (UnixPath d : order) {
        UnixPath auto = d.resolve(autoRel);
        if (!auto.isBelow(d) || !ctx.isDirectory(auto)) {
          continue;
        }
        scanBytes += ctx.offer(auto, because);
        for (FileEntry e : ctx.fs().below(auto)) {
          if (e.path().parent().equals(auto) && !e.isDirectory()) {
            offerAndScan(e.path(), because);
          }
        }
        return;
      }
    }

    /**
     * A load by a computed name in {@code source}: when {@code source} is part of the library,
     * the directory it can load from is kept whole in every library dir: the literal start of
     * the name when it names a directory ({@code "rubygems/defaults/#{x}"}), else the file's
     * own namespace (the top directory it lies in, or the directory named like a top-level
     * file). Computed loads in the app's own code name the app's files, which other rules keep.
     */
    private void dynamic(UnixPath source, String prefix, KeptBecause because) {
      Optional<UnixPath> dir = libraryDirOf(source);
      if (dir.isEmpty()) {
        return;
      }
      String rel = relative(dir.get(), source);
      String namespace;
      if (prefix.contains("/")) {
        namespace = prefix.substring(0, prefix.lastIndexOf('/'));
      } else if (rel.contains("/")) {
        namespace = rel.substring(0, rel.indexOf('/'));
      } else {
        namespace = rel.contains(".") ? rel.substring(0, rel.lastIndexOf('.')) : rel;
      }
      boolean kept = false;
      for (UnixPath d : lib.dirs()) {
        UnixPath tree = d.resolve(namespace);
        if (!namespace.isEmpty() && tree.isBelow(d) && ctx.isDirectory(tree)) {
          keepWhole(tree, "computed require in " + source, true);
          kept = true;
        }
      }
      if (!kept) {
        unbounded.add(source.toString());
      }
    }

    /** Perl's subtrees loaded by computed names, once something that loads them is kept; true when one was added. */
    private boolean perlWholeTrees() {
      boolean unicode = false;
      boolean encode = false;
      for (UnixPath kept : ctx.keep().paths()) {
        for (UnixPath d : lib.dirs()) {
          if (kept.isBelow(d.child("unicore")) || kept.equals(d.child("utf8_heavy.pl"))
              || kept.isBelow(d.child("Unicode"))) {
            unicode = true;
          }
          if (kept.equals(d.child("Encode.pm"))) {
            encode = true;
          }
        }
      }
      int before = whole.size();
      for (UnixPath d : lib.dirs()) {
        if (unicode) {
          keepWhole(d.child("unicore"), "regular expressions and Unicode modules load its tables by computed names",
              false);
        }
        if (encode) {
          keepWhole(d.child("Encode"), "Encode loads encodings by name", true);
          keepWhole(d.child("auto").child("Encode"), "Encode loads encodings by name", true);
        }
      }
      return whole.size() > before || !toScan.isEmpty();
    }

    /** Keeps a tree (or one file) whole, once; {@code scan}: its sources are code to follow as well. */
    private void keepWhole(UnixPath tree, String why, boolean scan) {
      if (whole.containsKey(tree) || ctx.fs().entry(tree).isEmpty()) {
        return;
      }
      for (UnixPath w : whole.keySet()) {
        if (tree.isBelow(w)) {
          return;
        }
      }
      whole.put(tree, why);
      KeptBecause because = new KeptBecause(KeepReason.STDLIB, name + " library " + lib.root() + ", kept whole: "
          + why);
      wholeBytes += ctx.keepTree(tree, because, p -> false);
      if (scan) {
        for (FileEntry e : ctx.fs().below(tree)) {
          if (isSource(e.path())) {
            toScan.add(e.path());
          }
        }
      }
    }

    /** A gem a required feature was found in: the whole gem and its gemspec. */
    private void keepGem(UnixPath gem, KeptBecause because) {
      if (ctx.keep().contains(gem)) {
        return;
      }
      scanBytes += ctx.keepTree(gem, because, p -> false);
      UnixPath spec = gem.parent().parent().child("specifications").child(text(gem.name()) + ".gemspec");
      scanBytes += ctx.offer(spec, because);
    }

    /** Offers {@code dir/rel} when it is a file there; true when it is. */
    private boolean offerFile(UnixPath dir, String rel, KeptBecause because) {
      Optional<UnixPath> file = fileBelow(dir, rel);
      file.ifPresent(f -> offerAndScan(f, because));
      return file.isPresent();
    }

    private Optional<UnixPath> fileBelow(UnixPath dir, String rel) {
      if (rel.isEmpty() || rel.startsWith("/")) {
        return Optional.empty();
      }
      UnixPath path = dir.resolve(rel);
      if (!path.isBelow(dir)) {
        return Optional.empty();
      }
      Optional<FileEntry> entry = ctx.fs().entry(path);
      if (entry.isEmpty() || entry.get().isDirectory()) {
        return Optional.empty(); // a directory x/ alone is not feature x
      }
      return Optional.of(path);
    }

    /** Offers a file (a link and the file it leads to) and queues it when it is code. */
    private void offerAndScan(UnixPath file, KeptBecause because) {
      scanBytes += ctx.offer(file, because);
      if (ctx.fs().entry(file).map(e -> e.type() == EntryType.SYMLINK).orElse(false)) {
        PathResolution r = ctx.fs().resolve(file);
        if (r.exists()) {
          scanBytes += ctx.offer(r.resolved(), because);
          file = r.resolved();
        }
      }
      if (!scanned.contains(file) && isSource(file)) {
        toScan.add(file);
      }
    }

    /** Whether {@code path} lies in a library or extension directory of this interpreter. */
    private boolean isInLibrary(UnixPath path) {
      for (UnixPath d : lib.dirs()) {
        if (path.isBelow(d)) {
          return true;
        }
      }
      for (UnixPath d : lib.extDirs()) {
        if (path.isBelow(d)) {
          return true;
        }
      }
      return false;
    }

    /** The deepest library dir {@code path} lies in. */
    private Optional<UnixPath> libraryDirOf(UnixPath path) {
      UnixPath best = null;
      for (UnixPath d : lib.dirs()) {
        if (path.isBelow(d) && (best == null || d.depth() > best.depth())) {
          best = d;
        }
      }
      return Optional.ofNullable(best);
    }

    /** The literal prefix of a computed require_relative, as a feature relative to a library dir. */
    private String relativeTo(UnixPath source, String prefix) {
      Optional<UnixPath> dir = libraryDirOf(source);
      if (dir.isEmpty() || !prefix.contains("/")) {
        return "";
      }
      UnixPath target = source.parent().resolve(prefix.substring(0, prefix.lastIndexOf('/')));
      return target.isBelow(dir.get()) ? relative(dir.get(), target) + "/" : "";
    }
  }

  /** {@code path} relative to {@code dir}, as text ("json/ext.rb"). */
  private static String relative(UnixPath dir, UnixPath path) {
    return new String(path.bytes(), dir.byteLength() + 1, path.byteLength() - dir.byteLength() - 1,
        StandardCharsets.UTF_8);
  }

  private static String text(byte[] name) {
    return new String(name, StandardCharsets.UTF_8);
  }

  /** The directories directly in {@code dir}, sorted. */
  private static List<UnixPath> childDirs(UnitContext ctx, UnixPath dir) {
    List<UnixPath> children = new ArrayList<>();
    for (FileEntry e : ctx.fs().below(dir)) {
      if (e.isDirectory() && e.path().parent().equals(dir)) {
        children.add(e.path());
      }
    }
    return children;
  }

  /** The multiarch directories of a lib dir: /usr/lib/x86_64-linux-gnu, /usr/lib/aarch64-linux-musl. */
  private static List<UnixPath> triplets(UnitContext ctx, UnixPath libDir) {
    return childDirs(ctx, libDir).stream().filter(d -> text(d.name()).contains("-linux")).toList();
  }

  /** The candidates that are directories, links resolved (the app's opens are reported resolved), each once. */
  private static List<UnixPath> existingDirs(UnitContext ctx, Collection<UnixPath> candidates) {
    Set<UnixPath> dirs = new LinkedHashSet<>();
    for (UnixPath c : candidates) {
      PathResolution r = ctx.fs().resolve(c);
      if (r.exists() && ctx.isDirectory(r.resolved())) {
        dirs.add(r.resolved());
      }
    }
    return List.copyOf(dirs);
  }
}
