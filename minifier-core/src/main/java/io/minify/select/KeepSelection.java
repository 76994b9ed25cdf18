package io.minify.select;

import io.minify.path.UnixPath;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kept entries while a keep set is being chosen, each with its first reason, and the paths
 * exclude patterns turned away. Include rules ({@link #force}) and parent directories are never
 * turned away. Mutable; owned by one selection.
 */
final class KeepSelection {
  private final List<PathGlob> excludes;
  private final Map<UnixPath, KeptBecause> kept = new LinkedHashMap<>();
  private final Map<UnixPath, Exclusion> excluded = new LinkedHashMap<>();
  /** Kept as part of a whole tree (a package, a library subtree), not because something names them. */
  private final Set<UnixPath> wholesale = new HashSet<>();
  /** Offered by name at least once (observed, included, imported, named in a configuration file). */
  private final Set<UnixPath> named = new HashSet<>();
  private final Map<UnixPath, DroppedFile> dropped = new TreeMap<>();
  private Map<KeepUnit, List<FoundUnit>> units = Map.of();

  KeepSelection(List<PathGlob> excludes) {
    this.excludes = List.copyOf(excludes);
  }

  /** Keeps {@code path} unless an exclude pattern matches it; true when it was added now. */
  boolean offer(UnixPath path, KeptBecause because) {
    named.add(path);
    return add(path, because);
  }

  /**
   * Keeps {@code path} as part of a whole tree a unit rule keeps: a {@link DropRule} may take
   * it back out unless something also offers it by name.
   */
  boolean offerWholesale(UnixPath path, KeptBecause because) {
    boolean added = add(path, because);
    if (added) {
      wholesale.add(path);
    }
    return added;
  }

  private boolean add(UnixPath path, KeptBecause because) {
    if (kept.containsKey(path) || excluded.containsKey(path)) {
      return false;
    }
    for (int i = 0; i < excludes.size(); i++) {
      if (excludes.get(i).matches(path)) {
        excluded.put(path, new Exclusion(path, i + 1, excludes.get(i).glob(), because.reason()));
        return false;
      }
    }
    kept.put(path, because);
    return true;
  }

  /** Keeps {@code path} whatever the exclude patterns say: the user asked for it, or a kept entry needs it. */
  void force(UnixPath path, KeptBecause because) {
    kept.putIfAbsent(path, because);
  }

  boolean contains(UnixPath path) {
    return kept.containsKey(path);
  }

  /** The kept paths so far, in the order they were kept. */
  Set<UnixPath> paths() {
    return kept.keySet();
  }

  /** Kept paths with their reasons, in the order they were kept. */
  Set<Map.Entry<UnixPath, KeptBecause>> entries() {
    return kept.entrySet();
  }

  /**
   * Takes out what {@code matcher} says no loader reads, among the entries kept for safety;
   * a path dropped here can come back later as a parent of a kept entry, or by name (a
   * library an ELF closure needs).
   */
  void drop(DropMatcher matcher) {
    for (Iterator<Map.Entry<UnixPath, KeptBecause>> it = kept.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<UnixPath, KeptBecause> e = it.next();
      UnixPath path = e.getKey();
      boolean wholesaleOnly = wholesale.contains(path) && !named.contains(path);
      Optional<DropRule> rule = matcher.ruleFor(path, e.getValue().reason(), wholesaleOnly);
      if (rule.isPresent()) {
        dropped.put(path, new DroppedFile(path, rule.get(), e.getValue().reason()));
        it.remove();
      }
    }
  }

  /** What each keep unit rule found, for the report. */
  void recordUnits(Map<KeepUnit, List<FoundUnit>> found) {
    units = found;
  }

  KeepSet toKeepSet(List<UnixPath> notInImage, List<String> unresolved, List<String> warnings,
      List<Explanation> explanations) {
    Map<UnixPath, Exclusion> stillDropped = new TreeMap<>(excluded);
    // an excluded directory that a kept entry lies below stays, as a parent
    stillDropped.keySet().removeAll(kept.keySet());
    TreeMap<UnixPath, DroppedFile> stillTrimmed = new TreeMap<>(dropped);
    stillTrimmed.keySet().removeAll(kept.keySet());
    return new KeepSet(new TreeMap<>(kept), new TreeMap<>(stillDropped), stillTrimmed, notInImage, unresolved,
        warnings, explanations, units);
  }
}
