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
 * docs/architecture.md says, for each package of the main code, which module holds it and
 * which packages it may depend on. This test reads that table and the sources (their imports
 * and the fully qualified names in their code) and holds them equal: a dependency the table
 * does not allow fails, and so does one it allows that no source uses, so the page shows the
 * graph as it is. The allowed graph has no cycle, so no arrow runs back up.
 */
class PackageGraphTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path ARCHITECTURE = ROOT.resolve("docs/architecture.md");
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package (io\\.minify\\.[a-z0-9.]+);");
  /** A type named with its package: in an import line or in the code itself. */
  private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.minify\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");
  /** A row of the table: | `io.minify.x` | `module` | `a`, `b.c` or nothing | why |. */
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `(io\\.minify\\.[a-z0-9.]+)` \\| `([a-z-]+)` \\| ([^|]*) \\|");
  private static final Pattern NAME = Pattern.compile("`([a-z0-9.]+)`");

  /** A package as the sources have it: its module and what it uses. */
  private record Found(String module, Set<String> uses) {}

  /** A package as the table has it. */
  private record Allowed(String module, Set<String> uses) {}

  /** The reactor's modules with main code, from the root pom (the sample apps are not minify). */
  private static List<String> modules() throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (m.find()) {
      if (!m.group(1).equals("sample-apps")) {
        modules.add(m.group(1));
      }
    }
    return modules;
  }

  private static Map<String, Found> sources() throws IOException {
    Map<String, Found> found = new TreeMap<>();
    for (String module : modules()) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          String source = withoutComments(Files.readString(file));
          Matcher p = PACKAGE.matcher(source);
          assertTrue(p.find(), file + " has no package");
          String pkg = p.group(1);
          Found f = found.computeIfAbsent(pkg, k -> new Found(module, new TreeSet<>()));
          assertEquals(f.module(), module, pkg + " is split across modules");
          Matcher q = QUALIFIED.matcher(source.substring(p.end()));
          while (q.find()) {
            String used = "io.minify." + q.group(1);
            if (!used.equals(pkg)) {
              f.uses().add(used);
            }
          }
        }
      }
    }
    return found;
  }

  private static Map<String, Allowed> table() throws IOException {
    Map<String, Allowed> table = new TreeMap<>();
    Matcher row = ROW.matcher(Files.readString(ARCHITECTURE));
    while (row.find()) {
      Set<String> uses = new TreeSet<>();
      Matcher name = NAME.matcher(row.group(3));
      while (name.find()) {
        uses.add("io.minify." + name.group(1));
      }
      Allowed before = table.put(row.group(1), new Allowed(row.group(2), uses));
      assertEquals(null, before, row.group(1) + " has two rows in docs/architecture.md");
    }
    return table;
  }

  @Test
  void theTableInTheArchitecturePageIsTheGraphOfTheSources() throws IOException {
    Map<String, Found> sources = sources();
    Map<String, Allowed> table = table();
    assertTrue(sources.size() > 20 && sources.get("io.minify.pipeline").uses().contains("io.minify.run"),
        "the sources were read: " + sources.keySet());
    List<String> wrong = new ArrayList<>();
    sources.forEach((pkg, found) -> {
      Allowed allowed = table.get(pkg);
      if (allowed == null) {
        wrong.add(pkg + " has no row (module " + found.module() + ", uses " + found.uses() + ")");
        return;
      }
      if (!allowed.module().equals(found.module())) {
        wrong.add(pkg + " is in " + found.module() + ", not " + allowed.module());
      }
      Set<String> notAllowed = new TreeSet<>(found.uses());
      notAllowed.removeAll(allowed.uses());
      Set<String> unused = new TreeSet<>(allowed.uses());
      unused.removeAll(found.uses());
      if (!notAllowed.isEmpty()) {
        wrong.add(pkg + " uses " + notAllowed + ", which its row does not allow");
      }
      if (!unused.isEmpty()) {
        wrong.add(pkg + "'s row allows " + unused + ", which it does not use");
      }
    });
    table.keySet().stream().filter(pkg -> !sources.containsKey(pkg))
        .forEach(pkg -> wrong.add(pkg + " has a row but no source"));
    assertEquals(List.of(), wrong, "docs/architecture.md and the sources disagree");
  }

  @Test
  void theAllowedGraphHasNoCycle() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    table().forEach((pkg, allowed) -> graph.put(pkg, allowed.uses()));
    List<String> cycles = new ArrayList<>();
    Map<String, Integer> state = new TreeMap<>(); // 1: on the current path, 2: done
    for (String start : graph.keySet()) {
      walk(start, graph, state, new ArrayList<>(), cycles);
    }
    assertEquals(List.of(), cycles);
  }

  @Test
  void aModuleUsesOnlyItselfAndTheModulesBeforeIt() throws IOException {
    List<String> order = modules(); // the reactor's order: a module comes after those it needs
    List<String> wrong = new ArrayList<>();
    Map<String, Allowed> table = table();
    table.forEach((pkg, allowed) -> allowed.uses().forEach(used -> {
      Allowed target = table.get(used);
      if (target != null && order.indexOf(target.module()) > order.indexOf(allowed.module())) {
        wrong.add(pkg + " (" + allowed.module() + ") uses " + used + " (" + target.module() + ")");
      }
    }));
    assertEquals(List.of(), wrong);
  }

  @Test
  void onlyTheCliUsesThePipelineAndNothingUsesTheCli() throws IOException {
    table().forEach((from, allowed) -> {
      if (!from.startsWith("io.minify.cli")) {
        assertTrue(allowed.uses().stream().noneMatch(u -> u.startsWith("io.minify.cli")),
            from + " uses the CLI: " + allowed.uses());
      }
      if (!from.startsWith("io.minify.cli") && !from.startsWith("io.minify.pipeline")) {
        assertTrue(allowed.uses().stream().noneMatch(u -> u.startsWith("io.minify.pipeline")),
            from + " uses the pipeline, which sits above it: " + allowed.uses());
      }
    });
  }

  /** The source with its comments blanked out (a {@code {@link}} is no dependency); strings kept. */
  private static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < source.length() && source.charAt(end) != c) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(source, i, Math.min(end + 1, source.length()));
        i = end + 1;
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? source.length() : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
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
