package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link KeepUnit#LISTED_DIRECTORIES}: a file server's directory listing reads the directory
 * and stats its entries without opening them, so the slim listing would have fewer files.
 * A directory the app opened keeps its entries where they are app content: those no OS
 * package owns (all of them when the image has no package database to tell). Subdirectories
 * are kept as entries; what is below them only when the app listed them too.
 */
final class ListedDirectoryRule implements KeepUnitRule {

  @Override
  public KeepUnit unit() {
    return KeepUnit.LISTED_DIRECTORIES;
  }

  @Override
  public List<String> apply(UnitContext ctx) {
    Optional<PackageDatabase> db = ctx.packages();
    List<String> found = new ArrayList<>();
    for (UnixPath dir : ctx.log().directories()) {
      if (!ctx.isDirectory(dir) || UnitContext.isCodeContainer(dir)) {
        continue;
      }
      KeptBecause because = new KeptBecause(KeepReason.LISTED_DIR, "entry of listed " + dir);
      long bytes = 0;
      int entries = 0;
      for (FileEntry e : ctx.fs().below(dir)) {
        UnixPath p = e.path();
        if (!p.parent().equals(dir) || (db.isPresent() && db.get().isOwned(p))) {
          continue;
        }
        long added = ctx.offer(p, because);
        bytes += added;
        entries += ctx.keep().contains(p) ? 1 : 0;
      }
      if (bytes > 0) {
        found.add(dir + " (" + entries + " entries, " + bytes + " bytes added)");
      }
    }
    return found;
  }
}
