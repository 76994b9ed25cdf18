package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules a Python source file imports, found by reading its text: {@code import a.b},
 * {@code from a import b} (also inside functions, where lazy imports live),
 * {@code __import__("a")} and {@code importlib.import_module("a")} with a literal name.
 * Relative imports ({@code from . import x}) name the file's own package: {@link #of} leaves
 * them out, {@link #relative} lists them with their level. {@link #dynamicLoading} tells
 * whether the file loads modules by names the text does not hold. A name found in a string
 * or comment that looks like an import only keeps a module more; that is the safe side.
 */
final class PythonImports {
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+([\\w.][\\w.\\s,]*)");
  private static final Pattern FROM = Pattern.compile("^\\s*from\\s+([A-Za-z_][\\w.]*)\\s+import\\s+\\(?\\s*([\\w\\s,]*)");
  private static final Pattern DYNAMIC =
      Pattern.compile("(?:__import__|import_module)\\(\\s*['\"]([A-Za-z_][\\w.]*)['\"]");
  private static final Pattern AS = Pattern.compile("\\s+as\\s+\\w+");
  private static final Pattern RELATIVE =
      Pattern.compile("^\\s*from\\s+(\\.+)([A-Za-z_][\\w.]*)?\\s+import\\s+\\(?\\s*([\\w\\s,*]*)");
  private static final Pattern DYNAMIC_RELATIVE =
      Pattern.compile("import_module\\(\\s*['\"](\\.+)([A-Za-z_][\\w.]*)?['\"]");
  /** Calls that load a module by the name they are given: dynamic unless that is one literal string. */
  private static final Pattern LOADER_CALL = Pattern.compile("(?<!\\w)(__import__|import_module"
      + "|import_string|load_class|import_object|symbol_by_name|load_object)\\s*\\(");
  private static final Pattern LITERAL_ARGUMENT = Pattern.compile("\\s*(['\"])(\\.*[A-Za-z_][\\w.:]*)\\1\\s*[,)]");
  /** Loading by listing a package, by entry point, or from a file path: never a name in the text. */
  private static final Pattern DISCOVERY = Pattern.compile("(?<![\\w])(iter_modules|walk_packages|iter_entry_points"
      + "|entry_points|spec_from_file_location|load_source|SourceFileLoader)\\s*\\(");

  /**
   * A relative import: {@code from ..a.b import c, d} is level 2, module "a.b", names [c, d].
   *
   * @param names the names imported, which may be submodules; empty for {@code import *}
   */
  record Relative(int level, String module, List<String> names) {
    Relative {
      names = List.copyOf(names);
    }
  }

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
      if (!rawLine.contains("import")) {
        continue; // every statement and call read here has the word: most lines need no pattern at all
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

  /**
   * The relative imports of a source, in order: {@code from . import x}, {@code from .mod import y},
   * {@code from .. import z} (parenthesised names over several lines too), and
   * {@code import_module('.x', __package__)} with a literal name.
   */
  static List<Relative> relative(byte[] source) {
    List<Relative> found = new ArrayList<>();
    String text = new String(source, StandardCharsets.UTF_8);
    Relative open = null; // a "from . import (" whose names go on after this line
    List<String> openNames = new ArrayList<>();
    for (String rawLine : text.split("\n")) {
      if (open != null) {
        String names = rawLine.contains(")") ? rawLine.substring(0, rawLine.indexOf(')')) : rawLine;
        openNames.addAll(names(names));
        if (rawLine.contains(")")) {
          found.add(new Relative(open.level(), open.module(), openNames));
          open = null;
        }
        continue;
      }
      if (!rawLine.contains("import")) {
        continue; // as in of(): no statement or call read here lacks the word
      }
      for (String statement : rawLine.split(";")) {
        Matcher m = RELATIVE.matcher(statement);
        if (!m.find()) {
          continue;
        }
        String module = m.group(2) == null ? "" : m.group(2);
        Relative r = new Relative(m.group(1).length(), module, names(m.group(3)));
        if (statement.contains("(") && !statement.contains(")")) {
          open = r;
          openNames = new ArrayList<>(r.names());
        } else {
          found.add(r);
        }
      }
      Matcher dynamic = DYNAMIC_RELATIVE.matcher(rawLine);
      while (dynamic.find()) {
        found.add(new Relative(dynamic.group(1).length(), dynamic.group(2) == null ? "" : dynamic.group(2), List.of()));
      }
    }
    if (open != null) {
      found.add(new Relative(open.level(), open.module(), openNames));
    }
    return found;
  }

  private static List<String> names(String list) {
    List<String> names = new ArrayList<>();
    for (String name : AS.matcher(list).replaceAll("").split(",")) {
      String n = name.strip();
      if (n.matches("\\w+")) {
        names.add(n);
      }
    }
    return names;
  }

  /**
   * How the source loads modules by names its text does not hold, when it does:
   * {@code importlib.import_module(name)}, {@code __import__(name)}, {@code import_string(path)}
   * and such helpers with anything but one literal string, {@code pkgutil.iter_modules},
   * {@code walk_packages}, entry points, loading from a file path. Empty when it does none.
   */
  static Optional<String> dynamicLoading(byte[] source) {
    String text = new String(source, StandardCharsets.UTF_8);
    Matcher call = LOADER_CALL.matcher(text);
    while (call.find()) {
      Matcher literal = LITERAL_ARGUMENT.matcher(text).region(call.end(), text.length());
      if (!literal.lookingAt()) {
        return Optional.of(call.group(1) + " with a computed name");
      }
    }
    Matcher discovery = DISCOVERY.matcher(text);
    if (discovery.find()) {
      return Optional.of(discovery.group(1));
    }
    return Optional.empty();
  }

  /** Modules named by one literal string to a loader helper: {@code import_string("a.b:C")} gives "a.b" and "a.b.C". */
  static Set<String> loaderLiterals(byte[] source) {
    Set<String> modules = new LinkedHashSet<>();
    String text = new String(source, StandardCharsets.UTF_8);
    Matcher call = LOADER_CALL.matcher(text);
    while (call.find()) {
      Matcher literal = LITERAL_ARGUMENT.matcher(text).region(call.end(), text.length());
      if (literal.lookingAt()) {
        String name = literal.group(2);
        if (name.startsWith(".")) {
          continue; // relative: see relative()
        }
        String module = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        modules.add(module);
        if (name.contains(":")) {
          modules.add(module + "." + name.substring(name.indexOf(':') + 1));
        } else if (module.contains(".")) {
          modules.add(module.substring(0, module.lastIndexOf('.'))); // a.b.Class: module a.b
        }
      }
    }
    return modules;
  }
}
