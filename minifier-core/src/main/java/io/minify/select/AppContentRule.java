package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link KeepUnit#APP_CONTENT}: what a Dockerfile put into the image (a site's pages, an app's
 * source tree, templates, PHP includes) is read a route at a time.
 * <ul>
 *   <li>The app's own code roots ({@link AppRoots}: its WORKDIR, what its command names, the
 *       directory holding its project files) are kept whole: a 404 template beside the app's
 *       packages is rendered only for a missing page.
 *   <li>A file that is not the distribution's ({@link Ownership}: no package lists it, or,
 *       without a package database, it lies outside the system trees), in a directory the app
 *       read such a file from, keeps every such entry of that directory, and of its
 *       subdirectories that are not the distribution's either.
 * </ul>
 * Code containers (node_modules, site-packages) are left to code units, runtime trees no
 * package owns to {@link KeepUnit#APP_PACKAGE}, and bytecode caches
 * and version-control directories are derived or unused and do not count.
 */
final class AppContentRule implements KeepUnitRule {

  private final List<AppRoots.Root> roots;

  /** @param roots the app's code roots ({@link AppRoots}) */
  AppContentRule(List<AppRoots.Root> roots) {
    this.roots = List.copyOf(roots);
  }


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    Ownership ownership = new Ownership(ctx.packages());
    List<FoundUnit> found = new ArrayList<>();
    for (AppRoots.Root root : roots) {
      KeptBecause because = new KeptBecause(KeepReason.APP_CONTENT, "app code root " + root.path() + " ("
          + root.evidence() + ")");
      long bytes = keepUnowned(ctx, ownership, root.path(), because);
      found.add(new FoundUnit.CodeRoot(root.path().toString(), root.evidence(), bytes));
    }
    // a runtime's own tree (a JRE in /opt/java/openjdk) is kept by app-package, as its package would be
    Set<UnixPath> runtimes = AppPackageRule.runtimeRoots(ctx, ctx.log().executed()).keySet();
    TreeSet<UnixPath> dirs = new TreeSet<>();
    for (UnixPath file : ctx.log().files()) {
      if (ctx.fs().entry(file).isEmpty() || ownership.isSystem(file) || file.parent().nameEquals("__pycache__")
          || inCodeContainer(file) || runtimes.stream().anyMatch(file::isBelow)) {
        continue;
      }
      dirs.add(file.parent());
    }
    for (UnixPath dir : dirs) {
      KeptBecause because = new KeptBecause(KeepReason.APP_CONTENT, "app content of " + dir);
      long bytes = keepUnowned(ctx, ownership, dir, because);
      if (bytes > 0) {
        found.add(FoundUnit.Kept.of(dir.toString(), bytes));
      }
    }
    found.add(new FoundUnit.Note(ctx.packages().map(db -> "told apart by the image's " + db.kind().manager()
            + (db.kind() == PackageDatabase.Kind.DPKG_STATUS_D ? " status.d" : "") + " database")
        .orElse("told apart without a package database: what lies outside the system trees is the app's")));
    return found;
  }

  /** Keeps the app's entries of {@code dir}, descending only into directories that are the app's. */
  private static long keepUnowned(UnitContext ctx, Ownership ownership, UnixPath dir, KeptBecause because) {
    long bytes = 0;
    TreeSet<UnixPath> closed = new TreeSet<>(); // directories not to descend into
    for (FileEntry e : ctx.fs().below(dir)) {
      UnixPath p = e.path();
      if (UnitContext.isBelowAny(p, dir, closed)) {
        continue;
      }
      boolean system = ownership.isSystem(p);
      if (e.isDirectory() && (system || UnitContext.isCodeContainer(p) || p.nameEquals(".git")
          || p.nameEquals("__pycache__"))) {
        closed.add(p);
        continue;
      }
      if (!system) {
        bytes += ctx.offer(p, because);
      }
    }
    return bytes;
  }

  private static boolean inCodeContainer(UnixPath file) {
    for (UnixPath a = file.parent(); !a.isRoot(); a = a.parent()) {
      if (UnitContext.isCodeContainer(a)) {
        return true;
      }
    }
    return false;
  }
}
