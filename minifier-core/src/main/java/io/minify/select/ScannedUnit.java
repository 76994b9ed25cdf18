package io.minify.select;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One code unit (a Node package, a Python distribution, a Ruby gem) while {@link CodeUnitRule}
 * keeps what it can load: the files kept for it, the directories kept whole because a
 * computed load defeats the scan there, and whether it fell back to whole. Mutable; owned by
 * one rule run.
 */
final class ScannedUnit {
  private final String label;
  private final UnixPath root;
  private final KeptBecause because;
  private final Map<UnixPath, String> wholeDirs = new TreeMap<>();
  private final Set<UnixPath> dirs = new TreeSet<>();
  private String whole;
  private int files;
  private long bytes;

  /**
   * @param label what the unit is ("node package", "python distribution imported by X")
   * @param via   how it was reached, after its root (", a dependency in /app/package.json"), or ""
   */
  ScannedUnit(String label, UnixPath root, String via) {
    this.label = label + " " + root + via;
    this.root = root;
    this.because = new KeptBecause(KeepReason.CODE_UNIT, this.label);
  }

  UnixPath root() {
    return root;
  }

  boolean isWhole() {
    return whole != null;
  }

  /** Directories that hold a file the scan kept, sorted: where package data sits beside code. */
  Set<UnixPath> directories() {
    return dirs;
  }

  /** Whether {@code path} lies in a directory this unit keeps whole. */
  boolean inWholeDirectory(UnixPath path) {
    if (whole != null) {
      return true;
    }
    for (UnixPath d : wholeDirs.keySet()) {
      if (path.isSameOrBelow(d)) {
        return true;
      }
    }
    return false;
  }

  /** Keeps one entry the scan found named (a module, an entry point); true when it was kept now. */
  boolean keep(UnitContext ctx, UnixPath path) {
    return keep(ctx, path, false);
  }

  /**
   * Keeps one entry no code names, kept for safety with what the scan found (package data, a
   * directory kept whole): a {@link DropRule} may take it back out; true when it was kept now.
   */
  boolean keepUnnamed(UnitContext ctx, UnixPath path) {
    return keep(ctx, path, true);
  }

  private boolean keep(UnitContext ctx, UnixPath path, boolean wholesale) {
    if (ctx.keep().contains(path)) {
      dirs.add(path.parent());
      return false;
    }
    bytes += wholesale ? ctx.offerWholesale(path, because) : ctx.offer(path, because);
    if (!ctx.keep().contains(path)) {
      return false; // an exclude pattern turned it away
    }
    dirs.add(path.parent());
    if (ctx.fs().entry(path).filter(e -> e.type() == EntryType.FILE).isPresent()) {
      files++;
    }
    return true;
  }

  /** Keeps {@code dir} and all below it but the content of directories {@code skip} names; the entries kept now. */
  List<UnixPath> keepTree(UnitContext ctx, UnixPath dir, Predicate<UnixPath> skip) {
    List<UnixPath> kept = new ArrayList<>();
    if (keepUnnamed(ctx, dir)) {
      kept.add(dir);
    }
    TreeSet<UnixPath> skipped = new TreeSet<>();
    for (FileEntry e : ctx.fs().below(dir)) {
      UnixPath p = e.path();
      if (UnitContext.isBelowAny(p, dir, skipped)) {
        continue;
      }
      if (keepUnnamed(ctx, p)) {
        kept.add(p);
      }
      if (e.isDirectory() && skip.test(p)) {
        skipped.add(p);
      }
    }
    return kept;
  }

  /** Records that {@code dir} is kept whole, and why; the first reason wins. */
  void wholeDirectory(UnixPath dir, String reason) {
    wholeDirs.putIfAbsent(dir, reason);
  }

  /** Records that the unit is kept whole, and why; the first reason wins. */
  void markWhole(String reason) {
    if (whole == null) {
      whole = reason;
    }
  }

  /** {@code path} relative to the unit's root, for reports ("lib/a.js"). */
  String relative(UnixPath path) {
    String r = path.toString();
    String base = root.toString();
    return path.isBelow(root) ? r.substring(base.length() + 1) : r;
  }

  /**
   * What the report says of it: "node package /app/node_modules/x: 12 files, 3456 bytes kept by
   * scan; whole: lib/locale (require with a computed name in lib/moment.js)", or ": whole (why),
   * 40 files, ...".
   */
  FoundUnit found() {
    List<FoundUnit.WholeDirectory> parts = new ArrayList<>();
    if (whole == null) {
      wholeDirs.forEach((d, why) -> parts.add(new FoundUnit.WholeDirectory(relative(d), why)));
    }
    return new FoundUnit.Scanned(label, files, bytes, Optional.ofNullable(whole), parts);
  }
}
