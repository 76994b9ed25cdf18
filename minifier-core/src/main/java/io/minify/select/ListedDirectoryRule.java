package io.minify.select;

import io.minify.elf.ElfDependencyResolver;
import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@link KeepUnit#LISTED_DIRECTORIES}: a file server's directory listing reads the directory
 * and stats its entries without opening them, so the slim listing would have fewer files.
 * A directory the app opened keeps its entries where they are app content: those no OS
 * package owns (all of them when the image has no package database to tell). Subdirectories
 * are kept as entries; what is below them only when the app listed them too. A listed
 * directory of shared objects outside the library search path is a plugin directory (a
 * database's storage engines, loaded by name on demand): its shared objects are kept, whoever
 * owns them, where the libraries they need are kept already.
 */
final class ListedDirectoryRule implements KeepUnitRule {


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    Optional<PackageDatabase> db = ctx.packages();
    List<FoundUnit> found = new ArrayList<>();
    ElfDependencyResolver elf = new ElfDependencyResolver(ctx.fs(), List.of());
    Set<UnixPath> libraryDirs = new HashSet<>();
    for (String dir : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib", "/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu")) {
      PathResolution r = ctx.fs().resolve(UnixPath.of(dir));
      if (r.exists()) {
        libraryDirs.add(r.resolved());
      }
    }
    for (UnixPath dir : ctx.log().directories()) {
      if (!ctx.isDirectory(dir) || UnitContext.isCodeContainer(dir)) {
        continue;
      }
      KeptBecause because = new KeptBecause(KeepReason.LISTED_DIR, "entry of listed " + dir);
      long bytes = 0;
      int entries = 0;
      for (FileEntry e : ctx.fs().below(dir)) {
        UnixPath p = e.path();
        if (!p.parent().equals(dir)) {
          continue;
        }
        boolean plugin = e.hasContent() && AppPackageRule.isSharedObject(p) && !libraryDirs.contains(dir)
            && AppPackageRule.librariesAlreadyKept(ctx, elf, p);
        if (!plugin && db.isPresent() && db.get().isOwned(p)) {
          continue;
        }
        long added = ctx.offer(p, because);
        bytes += added;
        entries += ctx.keep().contains(p) ? 1 : 0;
      }
      if (bytes > 0) {
        found.add(new FoundUnit.Kept(dir.toString(), List.of(entries + " entries"), OptionalLong.of(bytes), List.of()));
      }
    }
    return found;
  }
}
