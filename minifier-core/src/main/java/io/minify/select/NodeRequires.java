package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JavaScript file can load, found by reading its text: {@code require('x')},
 * {@code require.resolve('x')}, {@code import('x')}, {@code import ... from 'x'},
 * {@code import 'x'} and {@code export ... from 'x'} with a literal name, anywhere in the file
 * (a {@code require} inside a route handler runs only when the route does). A call whose
 * argument is not one literal string ({@code require(name)}, {@code require('./locale/' + l)},
 * a template with {@code ${}}) is a computed load: the scan cannot tell what it loads.
 * Comments and strings are not told apart from code: a require named in a comment only keeps
 * a file more, which is the safe side.
 */
final class NodeRequires {
  /** A call that loads by name, at its opening parenthesis: not {@code x.require(}, but {@code module.require(}. */
  private static final Pattern CALL =
      Pattern.compile("(?<![\\w$.])(?:module\\.)?(require(?:\\.resolve)?|import)\\s*\\(");
  private static final Pattern FROM = Pattern.compile("(?<![\\w$.])from\\s*(['\"])([^'\"\\n]+)\\1");
  private static final Pattern SIDE_EFFECT_IMPORT = Pattern.compile("(?<![\\w$.])import\\s*(['\"])([^'\"\\n]+)\\1");
  /** A plain string that may name a file of the package: "./data/x.json", 'templates', "worker.js". */
  private static final Pattern LITERAL = Pattern.compile("(['\"])([\\w@.+/-]{1,255})\\1");
  private static final Pattern DIRNAME = Pattern.compile("__dirname|__filename|import\\.meta\\.(?:url|dirname)");

  /** Node's built-in modules: {@code require('fs')} loads no file. */
  private static final Set<String> BUILTINS = Set.of("assert", "assert/strict", "async_hooks", "buffer",
      "child_process", "cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
      "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https", "inspector",
      "inspector/promises", "module", "net", "os", "path", "path/posix", "path/win32", "perf_hooks", "process",
      "punycode", "querystring", "readline", "readline/promises", "repl", "stream", "stream/consumers",
      "stream/promises", "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls", "trace_events",
      "tty", "url", "util", "util/types", "v8", "vm", "wasi", "worker_threads", "zlib");

  /**
   * A load the scan cannot follow.
   *
   * @param call   "require", "require.resolve" or "import()"
   * @param prefix the literal text the name starts with ("./locale/" of {@code require('./locale/' + l)}),
   *               "" when it starts with none
   */
  record Computed(String call, String prefix) {}

  /**
   * What one file names.
   *
   * @param specifiers literal names it loads, in order of appearance, without repeats
   * @param computed   loads by computed names
   * @param literals   other plain strings that may name a file or directory of the package
   *                   (read at run time with {@code fs}), without repeats
   * @param usesDirname whether it locates files by its own place ({@code __dirname},
   *                   {@code import.meta.url}): then a string naming a directory may be a directory it reads
   */
  record Scan(List<String> specifiers, List<Computed> computed, List<String> literals, boolean usesDirname) {
    Scan {
      specifiers = List.copyOf(specifiers);
      computed = List.copyOf(computed);
      literals = List.copyOf(literals);
    }
  }

  private NodeRequires() {}

  static Scan of(byte[] source) {
    String text = new String(source, StandardCharsets.UTF_8); // only ASCII names are read
    Set<String> specifiers = new LinkedHashSet<>();
    List<Computed> computed = new ArrayList<>();
    Matcher call = CALL.matcher(text);
    while (call.find()) {
      String name = call.group(1).equals("import") ? "import()" : call.group(1);
      argument(text, call.end(), name, specifiers, computed);
    }
    for (Pattern p : List.of(FROM, SIDE_EFFECT_IMPORT)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        specifiers.add(m.group(2));
      }
    }
    Set<String> literals = new LinkedHashSet<>();
    Matcher lit = LITERAL.matcher(text);
    while (lit.find()) {
      String s = lit.group(2);
      // '.' and '..' (a split, a join) name no file of their own
      if (s.length() > 2 && s.chars().anyMatch(Character::isLetterOrDigit) && !specifiers.contains(s)) {
        literals.add(s);
      }
    }
    return new Scan(List.copyOf(specifiers), computed, List.copyOf(literals), DIRNAME.matcher(text).find());
  }

  /** Reads the argument that starts at {@code at}: one literal string and then ')' or ',', or a computed name. */
  private static void argument(String text, int at, String call, Set<String> specifiers, List<Computed> computed) {
    int i = skipSpace(text, at);
    if (i >= text.length()) {
      return;
    }
    char quote = text.charAt(i);
    if (quote == ')') {
      return; // require(): nothing loaded
    }
    if (quote != '\'' && quote != '"' && quote != '`') {
      computed.add(new Computed(call, ""));
      return;
    }
    StringBuilder value = new StringBuilder();
    int j = i + 1;
    boolean interpolated = false;
    for (; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == quote) {
        break;
      }
      if (c == '\\' && j + 1 < text.length()) {
        value.append(text.charAt(++j));
        continue;
      }
      if (quote == '`' && c == '$' && j + 1 < text.length() && text.charAt(j + 1) == '{') {
        interpolated = true;
        break;
      }
      if (c == '\n' && quote != '`') {
        break; // not a string after all
      }
      value.append(c);
    }
    if (interpolated || j >= text.length() || text.charAt(j) != quote) {
      computed.add(new Computed(call, value.toString()));
      return;
    }
    int after = skipSpace(text, j + 1);
    if (after < text.length() && (text.charAt(after) == ')' || text.charAt(after) == ',')) {
      specifiers.add(value.toString());
    } else {
      computed.add(new Computed(call, value.toString())); // require('./locale/' + name)
    }
  }

  private static int skipSpace(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Whether {@code specifier} names a module built into Node ({@code fs}, {@code node:fs}), which loads no file. */
  static boolean isBuiltin(String specifier) {
    return specifier.startsWith("node:") || BUILTINS.contains(specifier);
  }

  /** Whether {@code specifier} names a file by its place ("./x", "../x", "/abs/x") rather than a package. */
  static boolean isRelative(String specifier) {
    return specifier.equals(".") || specifier.equals("..") || specifier.startsWith("./") || specifier.startsWith("../")
        || specifier.startsWith("/");
  }

  /** "@scope/name" of "@scope/name/sub/x", "name" of "name/sub"; empty when it names no package. */
  static String packageName(String specifier) {
    String[] parts = specifier.split("/", -1);
    if (specifier.startsWith("@")) {
      return parts.length >= 2 && !parts[1].isEmpty() ? parts[0] + "/" + parts[1] : "";
    }
    return parts[0];
  }
}
