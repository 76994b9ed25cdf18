package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules a Python source file imports, found by reading its text: {@code import a.b},
 * {@code from a import b} (also inside functions, where lazy imports live),
 * {@code __import__("a")} and {@code importlib.import_module("a")} with a literal name.
 * Relative imports ({@code from . import x}) name the file's own package and are left out.
 * A name found in a string or comment that looks like an import only keeps a module more;
 * that is the safe side.
 */
final class PythonImports {
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+([\\w.][\\w.\\s,]*)");
  private static final Pattern FROM = Pattern.compile("^\\s*from\\s+([A-Za-z_][\\w.]*)\\s+import\\s+\\(?\\s*([\\w\\s,]*)");
  private static final Pattern DYNAMIC =
      Pattern.compile("(?:__import__|import_module)\\(\\s*['\"]([A-Za-z_][\\w.]*)['\"]");
  private static final Pattern AS = Pattern.compile("\\s+as\\s+\\w+");

  private PythonImports() {}

  /**
   * Dotted module names the source imports, in order of appearance. For
   * {@code from a import b, c} both "a" and the candidates "a.b", "a.c" are listed (b may be a
   * submodule); the caller keeps only what exists.
   */
  static Set<String> of(byte[] source) {
    Set<String> modules = new LinkedHashSet<>();
    String text = new String(source, StandardCharsets.UTF_8); // source code is text; only ASCII names are read
    String openFrom = null; // the module of a "from M import (" whose names go on after this line
    for (String rawLine : text.split("\n")) {
      if (openFrom != null) {
        String names = rawLine.contains(")") ? rawLine.substring(0, rawLine.indexOf(')')) : rawLine;
        for (String name : AS.matcher(names).replaceAll("").split(",")) {
          String n = name.strip();
          if (n.matches("\\w+")) {
            modules.add(openFrom + "." + n);
          }
        }
        if (rawLine.contains(")")) {
          openFrom = null;
        }
        continue;
      }
      for (String statement : rawLine.split(";")) {
        Matcher from = FROM.matcher(statement);
        if (from.find()) {
          String module = from.group(1);
          modules.add(module);
          if (statement.contains("(") && !statement.contains(")")) {
            openFrom = module;
          }
          for (String name : AS.matcher(from.group(2)).replaceAll("").split(",")) {
            String n = name.strip();
            if (!n.isEmpty() && !n.equals("*") && n.matches("\\w+")) {
              modules.add(module + "." + n);
            }
          }
          continue;
        }
        Matcher imp = IMPORT.matcher(statement);
        if (imp.find()) {
          for (String name : AS.matcher(imp.group(1)).replaceAll("").split(",")) {
            String n = name.strip();
            if (n.matches("[A-Za-z_][\\w.]*")) {
              modules.add(n);
            }
          }
        }
      }
      Matcher dynamic = DYNAMIC.matcher(rawLine);
      while (dynamic.find()) {
        modules.add(dynamic.group(1));
      }
    }
    return modules;
  }
}
