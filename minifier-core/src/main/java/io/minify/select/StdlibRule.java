package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@link KeepUnit#INTERPRETER_STDLIB}: a route that imports from the standard library inside
 * a handler ({@code import csv}) opens that module only when the route runs.
 * <ul>
 *   <li>Python (a {@code pythonX.Y} directory holding {@code os.py}): every module that kept
 *       code imports anywhere in its text, function bodies included, is kept, and what those
 *       modules import in turn: the app's lazy imports without the whole library (less than
 *       half its bytes for a Flask app), relative imports resolved in their package. A
 *       package the app loaded a module of is kept whole only where it loads modules by
 *       computed names: {@code encodings} ({@code "x".encode("idna")} imports
 *       {@code encodings.idna}), or a package whose kept code calls {@code import_module} or
 *       {@code __import__} with a computed name.
 *   <li>Ruby ({@code ruby/X.Y.Z} holding {@code rubygems.rb}, and the extension directory
 *       {@code ruby/X.Y.Z} holding {@code rbconfig.rb}) and Perl (a directory holding
 *       {@code strict.pm}, and the other {@code @INC} directories of that layout): what the app
 *       loaded, and every feature or module that kept code requires, transitively
 *       ({@link ScriptLibraries}); subtrees loaded by computed names ({@code enc/}, rubygems,
 *       a namespace a library file requires from by a computed name) are kept whole.
 * </ul>
 */
final class StdlibRule implements KeepUnitRule {
  private static final Pattern PYTHON_DIR = Pattern.compile("python\\d+(\\.\\d+)?");
  private static final Pattern RUBY_VERSION_DIR = Pattern.compile("\\d+\\.\\d+\\.\\d+");
  private static final int MAX_SOURCE_BYTES = 8 << 20;


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    TreeMap<UnixPath, String> roots = new TreeMap<>();
    for (UnixPath used : ctx.log().files()) {
      for (UnixPath a = used.parent(); !a.isRoot(); a = a.parent()) {
        String kind = kindOf(ctx, a);
        if (kind != null) {
          roots.putIfAbsent(a, kind);
          break;
        }
      }
    }
    List<FoundUnit> found = new ArrayList<>();
    List<UnixPath> ruby = new ArrayList<>();
    List<UnixPath> perl = new ArrayList<>();
    for (var root : roots.entrySet()) {
      switch (root.getValue()) {
        case "python" -> {
          KeptBecause because = new KeptBecause(KeepReason.STDLIB, "python standard library " + root.getKey());
          int[] modules = {0};
          long bytes = keepImportedPythonModules(ctx, root.getKey(), because, modules);
          found.add(new FoundUnit.Part("python " + root.getKey(), modules[0] + " modules imported by kept code",
              OptionalLong.of(bytes)));
        }
        case "ruby" -> ruby.add(root.getKey());
        default -> perl.add(root.getKey());
      }
    }
    // one walk per interpreter: Ruby's lib and extension dirs, Perl's @INC dirs, resolve together
    for (ScriptLibraries.Library lib : ScriptLibraries.ruby(ctx, ruby)) {
      found.add(ScriptLibraries.keep(ctx, lib));
    }
    ScriptLibraries.perl(ctx, perl).ifPresent(lib -> found.add(ScriptLibraries.keep(ctx, lib)));
    return found;
  }

  private static String kindOf(UnitContext ctx, UnixPath dir) {
    String name = dir.toUtf8().map(t -> t.substring(t.lastIndexOf('/') + 1)).orElse("");
    if (PYTHON_DIR.matcher(name).matches() && ctx.fs().entry(dir.child("os.py")).isPresent()) {
      return "python";
    }
    // the library (rubygems.rb), or its extension directory (rbconfig.rb): Debian puts the
    // extensions (psych.so, enc/*.so) in /usr/lib/<triplet>/ruby/X.Y.Z, beside no .rb of the library
    if (RUBY_VERSION_DIR.matcher(name).matches() && dir.parent().nameEquals("ruby")
        && (ctx.fs().entry(dir.child("rubygems.rb")).isPresent()
            || ctx.fs().entry(dir.child("rbconfig.rb")).isPresent())) {
      return "ruby";
    }
    if (ctx.fs().entry(dir.child("strict.pm")).isPresent()) {
      return "perl";
    }
    return null;
  }

  /**
   * Reads every kept Python source (and the source of every kept bytecode file) for its
   * imports and keeps the modules of {@code root} they name, scanning those in turn.
   */
  private static long keepImportedPythonModules(UnitContext ctx, UnixPath root, KeptBecause because, int[] count) {
    Deque<UnixPath> toScan = new ArrayDeque<>();
    long bytes = 0;
    Set<UnixPath> packages = new TreeSet<>();
    for (UnixPath used : ctx.log().files()) {
      if (used.isBelow(root) && used.depth() > root.depth() + 1) {
        UnixPath top = used.prefix(root.depth() + 1);
        if (ctx.isDirectory(top) && !UnitContext.isCodeContainer(top) && !top.nameEquals("__pycache__")
            && !top.nameEquals("lib-dynload")) {
          packages.add(top);
        }
      }
    }
    // A package is kept whole only where it loads its modules by computed names: encodings
    // (a codec is imported by its name: "x".encode("idna")), or a package whose loaded code
    // calls import_module or __import__ with a computed name (logging.config, xml.dom.domreg);
    // elsewhere the import graph below finds what the package can load.
    for (UnixPath pkg : packages) {
      if (pkg.nameEquals("encodings") || loadsByComputedName(ctx, pkg)) {
        bytes += ctx.keepTree(pkg, because, UnitContext::isCodeContainer);
        count[0]++;
      }
    }
    for (UnixPath kept : List.copyOf(ctx.keep().paths())) {
      if (kept.nameEndsWith(".py")) {
        toScan.add(kept);
      } else if (kept.nameEndsWith(".pyc")) {
        KeepSetSelector.pythonSourceOf(kept).ifPresent(toScan::add);
      }
    }
    Set<UnixPath> scanned = new HashSet<>();
    Set<String> modulesSeen = new HashSet<>();
    while (!toScan.isEmpty()) {
      UnixPath source = toScan.removeFirst();
      if (!scanned.add(source)) {
        continue;
      }
      Optional<byte[]> text = ctx.head(source, MAX_SOURCE_BYTES);
      if (text.isEmpty()) {
        continue;
      }
      Set<String> imports = new java.util.LinkedHashSet<>(PythonImports.of(text.get()));
      imports.addAll(relativeImports(root, source, text.get()));
      for (String module : imports) {
        if (!modulesSeen.add(module)) {
          continue;
        }
        List<UnixPath> files = moduleFiles(ctx, root, module);
        if (!files.isEmpty()) {
          count[0]++;
        }
        for (UnixPath file : files) {
          bytes += ctx.offer(file, because);
          if (file.nameEndsWith(".py") && !scanned.contains(file)) {
            toScan.add(file);
          }
        }
      }
    }
    return bytes;
  }

  /** Whether a kept source of {@code pkg} imports by a computed name, or discovers its modules. */
  private static boolean loadsByComputedName(UnitContext ctx, UnixPath pkg) {
    for (UnixPath kept : ctx.keep().paths()) {
      if (kept.isBelow(pkg) && kept.nameEndsWith(".py")) {
        Optional<byte[]> text = ctx.head(kept, MAX_SOURCE_BYTES);
        if (text.isPresent() && PythonImports.dynamicLoading(text.get()).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The dotted names, from {@code root}, of what {@code source}'s relative imports name:
   * {@code from .util import x} in {@code email/parser.py} is {@code email.util} and the
   * candidate {@code email.util.x}; {@code from . import y} is {@code email.y}.
   */
  private static List<String> relativeImports(UnixPath root, UnixPath source, byte[] text) {
    List<String> modules = new ArrayList<>();
    for (PythonImports.Relative r : PythonImports.relative(text)) {
      UnixPath base = source.parent();
      for (int i = 1; i < r.level(); i++) {
        base = base.parent();
      }
      if (!base.isBelow(root)) {
        continue;
      }
      String pkg = new String(base.bytes(), root.byteLength() + 1, base.byteLength() - root.byteLength() - 1,
          java.nio.charset.StandardCharsets.UTF_8).replace('/', '.');
      String module = r.module().isEmpty() ? pkg : pkg + "." + r.module();
      modules.add(module);
      for (String name : r.names()) {
        modules.add(module + "." + name);
      }
    }
    return modules;
  }

  /**
   * The files of module {@code dotted} under {@code root}: the __init__ of each package on the
   * way, then the module's source, or its extension module (lib-dynload for top-level ones),
   * each with its compiled caches. Empty when the module is not there (built in, or elsewhere).
   */
  static List<UnixPath> moduleFiles(UnitContext ctx, UnixPath root, String dotted) {
    String[] parts = dotted.split("\\.");
    List<UnixPath> files = new ArrayList<>();
    UnixPath dir = root;
    for (int i = 0; i < parts.length; i++) {
      String name = parts[i];
      if (name.isEmpty()) {
        return List.of();
      }
      boolean last = i == parts.length - 1;
      UnixPath pkg = dir.child(name);
      if (ctx.isDirectory(pkg) && !pkg.nameEquals("site-packages") && !pkg.nameEquals("dist-packages")) {
        UnixPath init = pkg.child("__init__.py");
        if (ctx.fs().entry(init).isPresent()) {
          files.add(init);
          files.addAll(caches(ctx, pkg, "__init__"));
        }
        dir = pkg;
        continue;
      }
      if (!last) {
        return files.isEmpty() ? List.of() : files; // "a.b" where a is a module: a's attribute, not a module
      }
      UnixPath py = dir.child(name + ".py");
      if (ctx.fs().entry(py).isPresent()) {
        files.add(py);
        files.addAll(caches(ctx, dir, name));
        return files;
      }
      List<UnixPath> extensions = extensionModules(ctx, dir, name);
      if (extensions.isEmpty() && i == 0) {
        extensions = extensionModules(ctx, root.child("lib-dynload"), name);
      }
      files.addAll(extensions);
      return files;
    }
    return files;
  }

  /** {@code dir/__pycache__/NAME.*.pyc}. */
  private static List<UnixPath> caches(UnitContext ctx, UnixPath dir, String name) {
    List<UnixPath> caches = new ArrayList<>();
    for (FileEntry e : ctx.fs().below(dir.child("__pycache__"))) {
      if (e.path().nameStartsWith(name + ".") && e.path().nameEndsWith(".pyc")) {
        caches.add(e.path());
      }
    }
    return caches;
  }

  /** {@code dir/NAME.*.so} and {@code dir/NAME.so}: C extension modules. */
  private static List<UnixPath> extensionModules(UnitContext ctx, UnixPath dir, String name) {
    List<UnixPath> modules = new ArrayList<>();
    for (FileEntry e : ctx.fs().below(dir)) {
      UnixPath p = e.path();
      if (p.parent().equals(dir) && p.nameStartsWith(name + ".") && p.nameEndsWith(".so")) {
        modules.add(p);
      }
    }
    return modules;
  }
}
