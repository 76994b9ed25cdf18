package io.minify.pipeline;

import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which scenarios needed each kept path: those whose own run, selected alone, would have kept
 * it (with its libraries, keep units and the user's rules, not only what it opened). A path
 * only one scenario needed is what a build of that scenario alone would have, and a build of
 * any other would have lost.
 *
 * @param scenarios the scenarios, in their order
 * @param keptBy    every path of the build's keep set, with the scenarios that needed it (none:
 *                  kept only for what the scenarios did together)
 */
record ScenarioAttribution(List<String> scenarios, SortedMap<UnixPath, List<String>> keptBy) {

  ScenarioAttribution {
    scenarios = List.copyOf(scenarios);
    keptBy = Collections.unmodifiableSortedMap(new TreeMap<>(keptBy));
  }

  /**
   * @param kept       the build's keep set (of the merged runs)
   * @param byScenario each scenario's own keep set, in the scenarios' order
   */
  static ScenarioAttribution of(Set<UnixPath> kept, Map<String, ? extends Set<UnixPath>> byScenario) {
    SortedMap<UnixPath, List<String>> keptBy = new TreeMap<>();
    for (UnixPath path : kept) {
      List<String> names = new ArrayList<>();
      byScenario.forEach((name, own) -> {
        if (own.contains(path)) {
          names.add(name);
        }
      });
      keptBy.put(path, List.copyOf(names));
    }
    return new ScenarioAttribution(new ArrayList<>(new LinkedHashMap<>(byScenario).keySet()), keptBy);
  }

  /** The kept paths {@code scenario} needed. */
  long neededBy(String scenario) {
    return keptBy.values().stream().filter(names -> names.contains(scenario)).count();
  }

  /** The kept paths {@code scenario} needed and no other did: what a build of any other alone would lose. */
  long neededOnlyBy(String scenario) {
    return keptBy.values().stream().filter(names -> names.size() == 1 && names.get(0).equals(scenario)).count();
  }

  /** The scenarios that needed {@code path}; empty for a path not kept or kept for no single one. */
  List<String> scenariosOf(UnixPath path) {
    return keptBy.getOrDefault(path, List.of());
  }
}
