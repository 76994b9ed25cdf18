package io.minify.pipeline;

import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the watched runs of a build's scenarios used, each scenario's log and their union: the
 * keep set is selected from the union, so the slim image holds what any scenario needed.
 *
 * @param byScenario each scenario's log, by name, in the scenario file's order (one entry named
 *                   "" for a plain build)
 * @param merged     the union of every set of the logs, the events summed
 */
record ScenarioAccess(Map<String, AccessLog> byScenario, AccessLog merged) {

  ScenarioAccess {
    byScenario = Collections.unmodifiableMap(new LinkedHashMap<>(byScenario));
  }

  /** @param byScenario at least one log, in the order the scenarios ran */
  static ScenarioAccess merge(Map<String, AccessLog> byScenario) {
    if (byScenario.isEmpty()) {
      throw new IllegalArgumentException("no watched run to merge");
    }
    if (byScenario.size() == 1) {
      return new ScenarioAccess(byScenario, byScenario.values().iterator().next());
    }
    SortedSet<UnixPath> files = new TreeSet<>();
    SortedSet<UnixPath> directories = new TreeSet<>();
    SortedSet<UnixPath> executed = new TreeSet<>();
    SortedSet<UnixPath> written = new TreeSet<>();
    SortedSet<Integer> uids = new TreeSet<>();
    long events = 0;
    for (AccessLog log : byScenario.values()) {
      files.addAll(log.files());
      directories.addAll(log.directories());
      executed.addAll(log.executed());
      written.addAll(log.written());
      uids.addAll(log.processUids());
      events += log.events();
    }
    return new ScenarioAccess(byScenario, new AccessLog(files, directories, executed, written, uids, events));
  }

  /** The scenarios whose run opened, executed or wrote {@code path}, in their order. */
  List<String> observedBy(UnixPath path) {
    List<String> names = new ArrayList<>();
    byScenario.forEach((name, log) -> {
      if (log.files().contains(path) || log.directories().contains(path) || log.written().contains(path)) {
        names.add(name);
      }
    });
    return List.copyOf(names);
  }
}
