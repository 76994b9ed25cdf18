package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@link KeepUnit#STATE_TREES}: a database opens a few files of its data directory at start
 * and the rest when a query needs them ("could not open file global/1260" in a slim
 * PostgreSQL). A directory tree owned by a non-root user (the run user, or a service account
 * a root server hands its state to) in which the app opened something is the app's state,
 * like a declared VOLUME, and is kept whole; so is a directory the app wrote into during the
 * run. A tree owned by a user the app's processes ran as is kept whole even when nothing in it
 * was opened: a web server's workers check a database file with access(2) before they open
 * it, on pages only a logged-in user reaches. Nested code containers (node_modules,
 * site-packages) are left to code units.
 */
final class StateTreeRule implements KeepUnitRule {
  private static final int ROOT_UID = 0;


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    TreeMap<UnixPath, String> roots = new TreeMap<>();
    for (UnixPath used : ctx.usedInImage()) {
      UnixPath dir = ctx.directoryOf(used);
      ownedTreeRoot(ctx, dir).ifPresent(root -> roots.putIfAbsent(root, ownerNote(ctx, root)));
    }
    for (FileEntry e : ctx.fs().entries()) {
      if (e.isDirectory() && e.uid() != ROOT_UID && ctx.log().processUids().contains(e.uid())
          && !e.path().isRoot()) {
        ownedTreeRoot(ctx, e.path()).ifPresent(root -> roots.putIfAbsent(root,
            "owned by uid " + e.uid() + ", a user the app ran as"));
      }
    }
    for (UnixPath written : ctx.log().written()) {
      if (ctx.isDirectory(written)) {
        continue; // a directory of the image the engine lists because something below it changed
      }
      UnixPath dir = nearestImageDirectory(ctx, written.parent());
      if (dir.isRoot()) {
        continue; // never the whole image
      }
      UnixPath root = ownedTreeRoot(ctx, dir).orElse(dir);
      roots.putIfAbsent(root, "written by the app (" + written + ")");
    }
    List<FoundUnit> found = new ArrayList<>();
    UnixPath previous = null;
    for (var root : roots.entrySet()) {
      if (previous != null && root.getKey().isBelow(previous)) {
        continue; // inside a tree already kept whole
      }
      previous = root.getKey();
      KeptBecause because = new KeptBecause(KeepReason.STATE_TREE, "state tree " + root.getKey() + ", " + root.getValue());
      long bytes = ctx.keepTree(root.getKey(), because, UnitContext::isCodeContainer);
      found.add(new FoundUnit.Kept(root.getKey().toString(), List.of(root.getValue()), OptionalLong.of(bytes), List.of()));
    }
    return found;
  }

  /**
   * The highest directory above (or at) {@code dir} whose owner is the same non-root user as
   * {@code dir}'s, stopping below "/": that user's whole tree.
   */
  static Optional<UnixPath> ownedTreeRoot(UnitContext ctx, UnixPath dir) {
    Optional<FileEntry> entry = ctx.fs().entry(dir).filter(FileEntry::isDirectory);
    if (entry.isEmpty() || entry.get().uid() == ROOT_UID || dir.isRoot()) {
      return Optional.empty();
    }
    int uid = entry.get().uid();
    UnixPath top = dir;
    while (!top.parent().isRoot()) {
      Optional<FileEntry> parent = ctx.fs().entry(top.parent());
      if (parent.isEmpty() || !parent.get().isDirectory() || parent.get().uid() != uid) {
        break;
      }
      top = top.parent();
    }
    return Optional.of(top);
  }

  private static UnixPath nearestImageDirectory(UnitContext ctx, UnixPath start) {
    UnixPath dir = start;
    while (!dir.isRoot() && !ctx.isDirectory(dir)) {
      dir = dir.parent();
    }
    return dir;
  }

  private static String ownerNote(UnitContext ctx, UnixPath root) {
    return "owned by uid " + ctx.fs().entry(root).map(FileEntry::uid).orElse(-1);
  }
}
