package io.minify.select;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What each keep unit found, as the report's lines: the tests assert on what a user reads. */
final class FoundLines {
  private FoundLines() {}

  static Map<KeepUnit, List<String>> of(KeepSet keep) {
    Map<KeepUnit, List<String>> lines = new EnumMap<>(KeepUnit.class);
    keep.units().forEach((unit, found) -> lines.put(unit, found.stream().map(FoundUnit::describe).toList()));
    return lines;
  }
}
