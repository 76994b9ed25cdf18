package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code depend on each other in one direction (docs/architecture.md):
 * read from the sources' own imports and package names, the graph has no cycle, and nothing
 * points back to the CLI or the pipeline from below.
 */
class PackageGraphTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package (io\\.minify\\.[a-z0-9.]+);");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?(io\\.minify\\.[a-z0-9.]+)\\.[A-Z]");

  /** Package to the packages it imports from (its own excluded), over every module's main code. */
  private static Map<String, Set<String>> graph() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String module : List.of("base", "probe-agent", "minifier-core", "cli")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String source = Files.readString(file);
          Matcher p = PACKAGE.matcher(source);
          assertTrue(p.find(), file + " has no package");
          Set<String> uses = graph.computeIfAbsent(p.group(1), k -> new TreeSet<>());
          Matcher i = IMPORT.matcher(source);
          while (i.find()) {
            if (!i.group(1).equals(p.group(1))) {
              uses.add(i.group(1));
            }
          }
        }
      }
    }
    return graph;
  }

  @Test
  void thePackageGraphHasNoCycle() throws IOException {
    Map<String, Set<String>> graph = graph();
    assertTrue(graph.size() > 20 && graph.get("io.minify.pipeline").contains("io.minify.run"),
        "the sources were read: " + graph.keySet());
    List<String> cycles = new ArrayList<>();
    Map<String, Integer> state = new TreeMap<>(); // 1: on the current path, 2: done
    for (String start : graph.keySet()) {
      walk(start, graph, state, new ArrayList<>(), cycles);
    }
    assertEquals(List.of(), cycles);
  }

  @Test
  void onlyTheCliUsesThePipelineAndNothingUsesTheCli() throws IOException {
    graph().forEach((from, uses) -> {
      if (!from.startsWith("io.minify.cli")) {
        assertTrue(uses.stream().noneMatch(u -> u.startsWith("io.minify.cli")), from + " uses the CLI: " + uses);
      }
      if (!from.startsWith("io.minify.cli") && !from.startsWith("io.minify.pipeline")) {
        assertTrue(uses.stream().noneMatch(u -> u.startsWith("io.minify.pipeline")),
            from + " uses the pipeline, which sits above it: " + uses);
      }
    });
  }

  private static void walk(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
      List<String> path, List<String> cycles) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return;
    }
    if (s != null && s == 1) {
      cycles.add(String.join(" -> ", path.subList(path.indexOf(node), path.size())) + " -> " + node);
      return;
    }
    state.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      walk(next, graph, state, path, cycles);
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
  }
}
