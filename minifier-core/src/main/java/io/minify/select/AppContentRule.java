package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link KeepUnit#APP_CONTENT}: what a Dockerfile put into the image (a site's pages, an app's
 * source tree, templates, PHP includes) is read a route at a time. A file that no OS package
 * owns, in a directory the app read such a file from, is kept: every unowned entry of that
 * directory, and of its subdirectories that no package owns either. Code containers
 * (node_modules, site-packages) are left to code units, bytecode caches are derived files and
 * do not count as reads, and without a package database nothing can be told apart, so the
 * rule does nothing.
 */
final class AppContentRule implements KeepUnitRule {

  @Override
  public KeepUnit unit() {
    return KeepUnit.APP_CONTENT;
  }

  @Override
  public List<String> apply(UnitContext ctx) {
    if (ctx.packages().isEmpty()) {
      return List.of("not applied: the image has no package database with file lists");
    }
    PackageDatabase db = ctx.packages().get();
    TreeSet<UnixPath> dirs = new TreeSet<>();
    for (UnixPath file : ctx.log().files()) {
      if (ctx.fs().entry(file).isEmpty() || db.isOwned(file) || file.parent().nameEquals("__pycache__")
          || inCodeContainer(file)) {
        continue;
      }
      dirs.add(file.parent());
    }
    List<String> found = new ArrayList<>();
    for (UnixPath dir : dirs) {
      KeptBecause because = new KeptBecause(KeepReason.APP_CONTENT, "app content of " + dir);
      long bytes = keepUnowned(ctx, db, dir, because);
      found.add(dir + " (" + bytes + " bytes added)");
    }
    return found;
  }

  /** Keeps the unowned entries of {@code dir}, descending only into unowned directories. */
  private static long keepUnowned(UnitContext ctx, PackageDatabase db, UnixPath dir, KeptBecause because) {
    long bytes = 0;
    TreeSet<UnixPath> closed = new TreeSet<>(); // directories not to descend into
    for (FileEntry e : ctx.fs().below(dir)) {
      UnixPath p = e.path();
      if (UnitContext.isBelowAny(p, dir, closed)) {
        continue;
      }
      boolean owned = db.isOwned(p);
      if (e.isDirectory() && (owned || UnitContext.isCodeContainer(p))) {
        closed.add(p);
        continue;
      }
      if (!owned) {
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
