package io.minify.select;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The paths the slim image keeps, each with the reason it is kept.
 *
 * @param reasons           kept path to reason, sorted by path
 * @param observedNotInImage paths the app opened that the image does not contain (created at
 *                          run time, or on a mount): reported, not kept
 * @param unresolvedLibraries sonames a kept executable asks for that the image lacks
 */
public record KeepSet(SortedMap<String, KeepReason> reasons, List<String> observedNotInImage,
    List<String> unresolvedLibraries) {

  public KeepSet {
    reasons = Collections.unmodifiableSortedMap(new TreeMap<>(reasons));
    observedNotInImage = List.copyOf(observedNotInImage);
    unresolvedLibraries = List.copyOf(unresolvedLibraries);
  }

  public boolean contains(String path) {
    return reasons.containsKey(path);
  }

  public int size() {
    return reasons.size();
  }

  /** How many paths each reason accounts for. */
  public Map<KeepReason, Integer> countsByReason() {
    Map<KeepReason, Integer> counts = new EnumMap<>(KeepReason.class);
    reasons.values().forEach(r -> counts.merge(r, 1, Integer::sum));
    return counts;
  }
}
