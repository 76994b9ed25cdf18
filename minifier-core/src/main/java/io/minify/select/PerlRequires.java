package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The module files a Perl source loads, found by reading its text: {@code use X::Y;},
 * {@code use X::Y qw(...)}, {@code no X}, {@code require X::Y;}, {@code require "X/Y.pm"},
 * the classes of {@code use parent 'A', 'B'} and {@code use base qw(A B)} (and parent.pm,
 * base.pm themselves), the module of {@code use if COND, 'X'}; anywhere, inside subs too.
 * Pragmas are files as well ({@code strict.pm}), so they are listed like any module.
 * {@code require $class}, {@code eval "use $x"} and {@code eval "require Foo::$x"} load by a
 * computed name and are reported as dynamic, with the literal namespace before the computed
 * part. POD, full-line comments and what follows {@code __END__} or {@code __DATA__} are not
 * code. A statement found in a string only keeps a module more; that is the safe side.
 */
final class PerlRequires {
  /**
   * One load. {@code file} is relative to an {@code @INC} directory ("X/Y.pm", "foo.pl");
   * for a dynamic one it is the literal namespace start as a path ("Encode/" of
   * {@code "require Encode::$name"}), often "".
   */
  record Require(String file, boolean dynamic) {}

  private static final String MODULE = "[A-Za-z_]\\w*+(?:::\\w+)*+";
  // not a method (->require), a variable ($use), a string ('require') or a longer name
  private static final String NOT_AFTER = "(?<![\\w$@%&:>'\"-])";
  private static final Pattern USE = Pattern.compile(NOT_AFTER + "(?:use|no)\\s+(" + MODULE + ")(?!::)([^;]{0,2000})");
  private static final Pattern REQUIRE = Pattern.compile(NOT_AFTER + "require(?=[\\s('\"$])\\s*\\(?\\s*");
  private static final Pattern BAREWORD = Pattern.compile(MODULE);
  private static final Pattern QUOTED = Pattern.compile("'([^'\\n]*)'|\"([^\"\\n]*)\"");
  private static final Pattern QW = Pattern.compile("\\bqw\\s*([^\\w\\s])");
  private static final Pattern MODULE_STRING = Pattern.compile("['\"](" + MODULE + ")['\"]");
  private static final Pattern IF_MODULE = Pattern.compile("\\s*(?:['\"](" + MODULE + ")['\"]|(" + MODULE + ")\\s*=>)");
  private static final Pattern EVAL = Pattern.compile(
      "\\beval\\s*\\(?\\s*(?:\"|qq\\s*[^\\w\\s])[^\"\\n]{0,200}?\\b(?:use|require)\\s+((?:\\w+::)*)\\$");
  private static final Pattern SUB = Pattern.compile("\\bsub\\s+$");

  private PerlRequires() {}

  /** The loads of a source, in order of appearance, each once. */
  static List<Require> of(byte[] source) {
    LinkedHashSet<Require> requires = new LinkedHashSet<>();
    String code = code(new String(source, StandardCharsets.UTF_8)); // source code is text; only ASCII names are read
    Matcher use = USE.matcher(code);
    while (use.find()) {
      String module = use.group(1);
      if (module.matches("v\\d+")) {
        continue; // use v5.36: a version, not a module
      }
      requires.add(new Require(file(module), false));
      String rest = use.group(2);
      if (module.equals("parent") || module.equals("base")) {
        for (String named : listed(rest)) {
          requires.add(new Require(file(named), false));
        }
      } else if (module.equals("if") && rest.contains(",")) {
        Matcher m = IF_MODULE.matcher(rest.substring(rest.indexOf(',') + 1));
        if (m.lookingAt()) {
          requires.add(new Require(file(m.group(1) != null ? m.group(1) : m.group(2)), false));
        }
      }
    }
    Matcher require = REQUIRE.matcher(code);
    while (require.find()) {
      int lineStart = code.lastIndexOf('\n', require.start()) + 1;
      if (SUB.matcher(code.substring(lineStart, require.start())).find()) {
        continue;
      }
      String rest = code.substring(require.end(), Math.min(code.length(), require.end() + 300));
      Matcher bare = BAREWORD.matcher(rest);
      Matcher quoted = QUOTED.matcher(rest);
      if (bare.lookingAt() && rest.startsWith("::$", bare.end())) {
        requires.add(new Require(bare.group().replace("::", "/") + "/", true)); // require Foo::$name
      } else if (bare.lookingAt()) {
        requires.add(new Require(file(bare.group()), false));
      } else if (quoted.lookingAt()) {
        String path = quoted.group(1) != null ? quoted.group(1) : quoted.group(2);
        int computed = quoted.group(2) != null ? firstOf(path, "$@") : -1;
        if (computed >= 0) {
          requires.add(new Require(path.substring(0, computed), true));
        } else if (!path.isEmpty() && !path.startsWith(".") && !path.startsWith("/")) {
          requires.add(new Require(path, false));
        }
      } else if (rest.startsWith("$")) {
        requires.add(new Require("", true));
      }
    }
    Matcher eval = EVAL.matcher(code);
    while (eval.find()) {
      requires.add(new Require(eval.group(1).replace("::", "/"), true));
    }
    return List.copyOf(requires);
  }

  /** "X/Y.pm" of "X::Y". */
  static String file(String module) {
    return module.replace("::", "/") + ".pm";
  }

  /** The text that is code: no POD, no full-line comments, nothing after __END__ or __DATA__. */
  private static String code(String text) {
    StringBuilder code = new StringBuilder();
    boolean pod = false;
    for (String line : text.split("\n")) {
      if (pod) {
        pod = !line.startsWith("=cut");
        continue;
      }
      if (line.length() > 1 && line.charAt(0) == '=' && Character.isLetter(line.charAt(1))) {
        pod = true;
        continue;
      }
      String stripped = line.strip();
      if (stripped.equals("__END__") || stripped.equals("__DATA__")) {
        break;
      }
      if (!stripped.startsWith("#")) {
        code.append(line).append('\n');
      }
    }
    return code.toString();
  }

  /** The class names of "'A', 'B'", "qw(A B)", "-norequire, 'A'". */
  private static List<String> listed(String args) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    Matcher qw = QW.matcher(args);
    while (qw.find()) {
      char open = qw.group(1).charAt(0);
      int closeAt = args.indexOf(closing(open), qw.end());
      String words = args.substring(qw.end(), closeAt < 0 ? args.length() : closeAt);
      for (String word : words.strip().split("\\s+")) {
        if (BAREWORD.matcher(word).matches()) {
          names.add(word);
        }
      }
    }
    Matcher quoted = MODULE_STRING.matcher(args);
    while (quoted.find()) {
      names.add(quoted.group(1));
    }
    return List.copyOf(names);
  }

  private static char closing(char open) {
    return switch (open) {
      case '(' -> ')';
      case '[' -> ']';
      case '{' -> '}';
      case '<' -> '>';
      default -> open;
    };
  }

  private static int firstOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
