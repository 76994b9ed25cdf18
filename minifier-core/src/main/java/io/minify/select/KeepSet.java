package io.minify.select;

import io.minify.path.UnixPath;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The paths the slim image keeps, each with the reason it is kept, and what the keep rules
 * dropped.
 *
 * @param reasons             kept path to why it is kept, sorted by path
 * @param excluded            path an exclude pattern dropped (although something would have
 *                            kept it) to the exclusion, sorted by path
 * @param dropped             path a {@link DropRule} took out of what a keep unit rule kept
 *                            for safety, sorted by path
 * @param observedNotInImage  paths the app opened that the image does not contain (created
 *                            at run time, or on a mount): reported, not kept
 * @param unresolvedLibraries sonames a kept executable asks for that the image lacks
 * @param warnings            include rules that found nothing (with --allow-missing-includes)
 * @param explanations        answers for the paths the rules asked to explain, in that order
 * @param units               per keep unit rule that ran, what it found, in the order of {@link KeepUnit}
 */
public record KeepSet(SortedMap<UnixPath, KeptBecause> reasons, SortedMap<UnixPath, Exclusion> excluded,
    SortedMap<UnixPath, DroppedFile> dropped, List<UnixPath> observedNotInImage, List<String> unresolvedLibraries, List<String> warnings,
    List<Explanation> explanations, Map<KeepUnit, List<FoundUnit>> units) {

  public KeepSet {
    reasons = Collections.unmodifiableSortedMap(new TreeMap<>(reasons));
    excluded = Collections.unmodifiableSortedMap(new TreeMap<>(excluded));
    dropped = Collections.unmodifiableSortedMap(new TreeMap<>(dropped));
    observedNotInImage = List.copyOf(observedNotInImage);
    unresolvedLibraries = List.copyOf(unresolvedLibraries);
    warnings = List.copyOf(warnings);
    explanations = List.copyOf(explanations);
    EnumMap<KeepUnit, List<FoundUnit>> ordered = new EnumMap<>(KeepUnit.class);
    units.forEach((unit, found) -> ordered.put(unit, List.copyOf(found)));
    units = Collections.unmodifiableMap(ordered);
  }

  /**
   * This set with {@code more} kept too, each path with its own reason, except where this set
   * keeps it already (its reason stays) or an exclude pattern dropped it: {@code minify merge}
   * keeps what every earlier build kept, whatever keep rules those builds had. A path a drop rule
   * took out is kept after all, and is no longer listed as dropped.
   */
  public KeepSet plus(SortedMap<UnixPath, KeptBecause> more) {
    SortedMap<UnixPath, KeptBecause> all = new TreeMap<>(reasons);
    SortedMap<UnixPath, DroppedFile> stillDropped = new TreeMap<>(dropped);
    more.forEach((path, why) -> {
      if (!excluded.containsKey(path) && all.putIfAbsent(path, why) == null) {
        stillDropped.remove(path);
      }
    });
    return new KeepSet(all, excluded, stillDropped, observedNotInImage, unresolvedLibraries, warnings, explanations,
        units);
  }

  public boolean contains(UnixPath path) {
    return reasons.containsKey(path);
  }

  /** The kind of reason {@code path} is kept for; empty when it is not kept. */
  public Optional<KeepReason> reasonOf(UnixPath path) {
    return Optional.ofNullable(reasons.get(path)).map(KeptBecause::reason);
  }

  public int size() {
    return reasons.size();
  }

  /** How many paths each reason accounts for. */
  public Map<KeepReason, Integer> countsByReason() {
    Map<KeepReason, Integer> counts = new EnumMap<>(KeepReason.class);
    reasons.values().forEach(r -> counts.merge(r.reason(), 1, Integer::sum));
    return counts;
  }
}
