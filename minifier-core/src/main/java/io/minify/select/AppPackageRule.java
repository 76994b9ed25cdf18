package io.minify.select;

import io.minify.elf.ElfClosure;
import io.minify.elf.ElfDependencyResolver;
import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.packages.InstalledPackage;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link KeepUnit#APP_PACKAGE}: servers load code per connection or per feature (PostgreSQL's
 * procedural languages and text-search dictionaries, Apache's and nginx's dynamic modules,
 * MariaDB's plugins), so a run that never used a feature never opened its files. The app's
 * packages are those of every program it ran (the entrypoint and each file it executed, but
 * not the ELF interpreter the kernel loads for them) and of every configuration file under
 * /etc it read (the server package that configures a core binary: MariaDB's plugins belong to
 * mariadb-server, its binary to mariadb-server-core). The package of a program keeps its
 * shared objects and every file in the directories only that package owns; the package of a
 * configuration file only its shared objects (reading /etc/locale.alias does not make the
 * locale sources of "locales" part of the app). Docs and man pages stay out. A plugin is
 * kept only when the libraries it needs are ones the app loaded: one that needs more (a JIT
 * provider needing LLVM, an Apache module needing libxml2 and ICU) serves a feature built on
 * another component the app never touched, and would cost more than the rest together.
 */
final class AppPackageRule implements KeepUnitRule {
  private static final List<UnixPath> DOC_DIRS = List.of(UnixPath.of("/usr/share/doc"), UnixPath.of("/usr/share/man"),
      UnixPath.of("/usr/share/info"), UnixPath.of("/usr/share/lintian"), UnixPath.of("/usr/share/bug"),
      UnixPath.of("/usr/share/doc-base"));

  private static final UnixPath ETC = UnixPath.of("/etc");

  private final Optional<UnixPath> entrypoint;

  AppPackageRule(Optional<UnixPath> entrypoint) {
    this.entrypoint = entrypoint;
  }


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    TreeSet<UnixPath> programs = new TreeSet<>(ctx.log().executed());
    entrypoint.map(p -> ctx.fs().resolve(p)).filter(PathResolution::exists).ifPresent(r -> programs.add(r.resolved()));
    programs.removeAll(interpreters(ctx, programs));
    List<FoundUnit> found = new ArrayList<>(runtimeTrees(ctx, programs));
    if (ctx.packages().isEmpty()) {
      found.add(new FoundUnit.Note("not applied to packages: the image has no package database with file lists"));
      return found;
    }
    PackageDatabase db = ctx.packages().get();
    TreeMap<InstalledPackage, UnixPath> packages = new TreeMap<>();
    Set<InstalledPackage> ofPrograms = new HashSet<>();
    for (UnixPath program : programs) {
      db.ownerOf(program).ifPresent(pkg -> {
        packages.putIfAbsent(pkg, program);
        ofPrograms.add(pkg);
      });
    }
    for (UnixPath opened : ctx.log().files()) {
      if (opened.isBelow(ETC)) {
        db.ownerOf(opened).ifPresent(pkg -> packages.putIfAbsent(pkg, opened));
      }
    }
    ElfDependencyResolver elf = new ElfDependencyResolver(ctx.fs(), List.of());
    for (var entry : packages.entrySet()) {
      InstalledPackage pkg = entry.getKey();
      KeptBecause because = new KeptBecause(KeepReason.APP_PACKAGE,
          "package " + pkg.qualifiedName() + " of " + entry.getValue());
      List<UnixPath> files = db.filesOf(pkg);
      Set<UnixPath> ownDirs = new HashSet<>();
      for (UnixPath p : files) {
        if (ofPrograms.contains(pkg) && ctx.isDirectory(p) && db.ownerOf(p).map(pkg::equals).orElse(false)
            && !isDoc(p)) {
          ownDirs.add(p);
        }
      }
      long bytes = 0;
      int needMore = 0;
      for (UnixPath p : files) {
        Optional<FileEntry> e = ctx.fs().entry(p);
        if (e.isEmpty() || isDoc(p) || ctx.keep().contains(p) || isLibraryCode(p)) {
          continue;
        }
        if (!ownDirs.contains(p) && !isSharedObject(p) && !inAny(p, ownDirs)) {
          continue;
        }
        if (e.get().hasContent() && !librariesAlreadyKept(ctx, elf, p)) {
          needMore++;
          continue;
        }
        bytes += ctx.offerWholesale(p, because);
      }
      found.add(new FoundUnit.Kept(pkg.qualifiedName() + " for " + entry.getValue(), List.of(), OptionalLong.of(bytes),
          leftOut(needMore)));
    }
    return found;
  }

  /**
   * Runtimes installed by copying a tree (the official images' {@code /opt/java/openjdk}, a
   * distroless {@code /nodejs}, a JRE whose package database was deleted): a program no
   * package owns, at {@code ROOT/bin/NAME}, makes ROOT the runtime's tree, and the tree is kept
   * as its package would be: everything but its docs, headers and sources, with the shared
   * objects only where the libraries they need are kept (a JRE's AWT libraries need X11).
   * ROOT is never {@code /}, {@code /usr} or {@code /usr/local}, which hold everything.
   */
  private static List<FoundUnit> runtimeTrees(UnitContext ctx, Set<UnixPath> programs) {
    TreeMap<UnixPath, UnixPath> roots = runtimeRoots(ctx, programs);
    List<FoundUnit> found = new ArrayList<>();
    ElfDependencyResolver elf = new ElfDependencyResolver(ctx.fs(), List.of());
    for (var entry : roots.entrySet()) {
      UnixPath root = entry.getKey();
      KeptBecause because = new KeptBecause(KeepReason.APP_PACKAGE, "runtime tree " + root + " of " + entry.getValue());
      long bytes = 0;
      int needMore = 0;
      TreeSet<UnixPath> closed = new TreeSet<>();
      for (FileEntry e : ctx.fs().below(root)) {
        UnixPath p = e.path();
        if (UnitContext.isBelowAny(p, root, closed)) {
          continue;
        }
        if (e.isDirectory() && RUNTIME_EXTRAS.stream().anyMatch(p::nameEquals)) {
          closed.add(p);
          continue;
        }
        if (p.nameEquals("src.zip") || ctx.keep().contains(p)) {
          continue;
        }
        if (e.hasContent() && isSharedObject(p) && !librariesAlreadyKept(ctx, elf, p)) {
          needMore++;
          continue;
        }
        bytes += ctx.offerWholesale(p, because);
      }
      found.add(new FoundUnit.Kept("runtime tree " + root + " of " + entry.getValue(), List.of(), OptionalLong.of(bytes),
          leftOut(needMore)));
    }
    return found;
  }

  /** What a package or runtime tree left out: its shared objects that need libraries the app did not load. */
  private static List<String> leftOut(int needMore) {
    return needMore > 0 ? List.of(needMore + " left out that need libraries the app did not load") : List.of();
  }

  /** The runtime trees of the programs no package owns: ROOT of ROOT/bin/NAME, to the program that shows it. */
  static TreeMap<UnixPath, UnixPath> runtimeRoots(UnitContext ctx, Set<UnixPath> programs) {
    TreeMap<UnixPath, UnixPath> roots = new TreeMap<>();
    for (UnixPath program : programs) {
      if (ctx.packages().map(db -> db.isOwned(program)).orElse(false)) {
        continue;
      }
      UnixPath bin = program.parent();
      if (!(bin.nameEquals("bin") || bin.nameEquals("sbin")) || bin.isRoot()) {
        continue;
      }
      UnixPath root = bin.parent();
      if (root.isRoot() || root.equals(UnixPath.of("/usr")) || root.equals(UnixPath.of("/usr/local"))) {
        continue;
      }
      roots.putIfAbsent(root, program);
    }
    return roots;
  }

  /** Directories of a runtime's tree no program reads at run time. */
  private static final List<String> RUNTIME_EXTRAS = List.of("man", "doc", "docs", "legal", "include", "demo",
      "sample", "jmods");

  /** Whether every library an ELF file needs is kept already (true for files that are not ELF). */
  static boolean librariesAlreadyKept(UnitContext ctx, ElfDependencyResolver elf, UnixPath file) {
    try {
      ElfClosure closure = elf.closure(List.of(file));
      if (!closure.missing().isEmpty()) {
        return false; // it could not load in the image anyway
      }
      return closure.files().stream().allMatch(f -> f.equals(file) || ctx.keep().contains(f));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " from the image failed: " + e.getMessage(), e);
    }
  }

  /** The PT_INTERP of each executed ELF program: the kernel opens it for exec, the app did not choose it. */
  private static Set<UnixPath> interpreters(UnitContext ctx, Set<UnixPath> programs) {
    Set<UnixPath> interpreters = new HashSet<>();
    ElfDependencyResolver elf = new ElfDependencyResolver(ctx.fs(), List.of());
    for (UnixPath program : programs) {
      try {
        elf.interpreterOf(program).ifPresent(interpreters::add);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + program + " from the image failed: " + e.getMessage(), e);
      }
    }
    return interpreters;
  }

  static boolean isSharedObject(UnixPath p) {
    return p.nameEndsWith(".so") || p.toUtf8().map(t -> t.substring(t.lastIndexOf('/') + 1).contains(".so."))
        .orElse(false);
  }

  /**
   * Code an interpreter loads by name from its library (Perl's {@code .pm} and their XS
   * {@code auto/} files, Python's modules under {@code pythonX.Y} or a site directory, Ruby's
   * under {@code ruby/} or {@code vendor_ruby}): the standard-library and code-unit rules keep
   * what kept code requires of it. Kept here, a Perl run would keep perl-base's whole library.
   * Scripts run by path (a package's CGI programs) are not in these trees and stay.
   */
  static boolean isLibraryCode(UnixPath p) {
    if (p.nameEndsWith(".pm") || p.nameEndsWith(".pod")) {
      return true;
    }
    boolean python = p.nameEndsWith(".py") || p.nameEndsWith(".pyc");
    boolean ruby = p.nameEndsWith(".rb");
    for (UnixPath a = p.parent(); !a.isRoot(); a = a.parent()) {
      if (python && (a.nameStartsWith("python") || a.nameEquals("dist-packages") || a.nameEquals("site-packages"))) {
        return true;
      }
      if (ruby && (a.nameEquals("ruby") || a.nameEquals("vendor_ruby"))) {
        return true;
      }
      if (a.nameEquals("auto") && underPerl(a)) {
        return true;
      }
    }
    return false;
  }

  /** perl-base/auto, perl/5.36.0/auto, perl5/auto. */
  private static boolean underPerl(UnixPath dir) {
    for (UnixPath a = dir.parent(); !a.isRoot(); a = a.parent()) {
      if (a.nameStartsWith("perl")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDoc(UnixPath p) {
    return DOC_DIRS.stream().anyMatch(p::isSameOrBelow);
  }

  private static boolean inAny(UnixPath p, Set<UnixPath> dirs) {
    for (UnixPath a = p.parent(); !a.isRoot(); a = a.parent()) {
      if (dirs.contains(a)) {
        return true;
      }
    }
    return false;
  }
}
