package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features a Ruby source requires, found by reading its text: {@code require 'x'},
 * {@code require("x/y")}, {@code Kernel.require 'x'}, {@code require_relative 'z'} and
 * {@code autoload :Const, 'x'} (as a method too: {@code Foo.autoload(:Const, "x")}),
 * wherever they are: inside methods and blocks is where lazy requires live (a {@code get}
 * route's {@code require 'csv'}). Paths written beside the file ({@code "#{__dir__}/x"},
 * {@code File.expand_path('x', __dir__)}, {@code File.expand_path('../x', __FILE__)},
 * {@code File.join(__dir__, 'x')}) count as {@code require_relative 'x'}. Only string literals
 * name a feature; any other argument
 * ({@code require "x/#{y}"}, {@code require f} in a {@code Dir[...].each}) is reported as
 * dynamic, with the literal text before the computed part. Comment lines,
 * {@code =begin}/{@code =end} blocks and what follows {@code __END__} are not code. A require
 * found in a string that looks like one only keeps a feature more; that is the safe side.
 */
final class RubyRequires {
  /**
   * One require. For a dynamic one, {@code feature} is the literal start of the computed name
   * ("rubygems/defaults/" of {@code "rubygems/defaults/#{RUBY_ENGINE}"}), often "".
   *
   * @param relative {@code require_relative}: the feature is relative to the requiring file
   */
  record Require(String feature, boolean relative, boolean dynamic) {}

  // not a method of another object (params.require(:id) is Rails' strong parameters), not a
  // symbol or a hash key (require: false), not a name ending in require (my_require)
  private static final Pattern CALL = Pattern.compile(
      "(?<![\\w.:$@])(?:(?:::)?Kernel\\s*\\.\\s*)?(require_relative|require)(?![\\w?!:=])\\s*\\(?\\s*");
  private static final Pattern AUTOLOAD =
      Pattern.compile("(?<![\\w:$@])autoload(?![\\w?!:=])\\s*\\(?\\s*:?[\"']?\\w+[\"']?\\s*,\\s*");
  private static final Pattern SINGLE = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");
  private static final Pattern DOUBLE = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  // a path beside the file, written out: the forms gems and the library use for autoload
  private static final List<Pattern> BESIDE = List.of(
      Pattern.compile("\"#\\{__dir__}/([^\"#]+)\""),
      Pattern.compile("File\\.expand_path\\(\\s*(?:'|\")([^'\"#]+)['\"]\\s*,\\s*__dir__\\s*\\)"),
      Pattern.compile("File\\.expand_path\\(\\s*(?:'|\")\\.\\./([^'\"#]+)['\"]\\s*,\\s*__FILE__\\s*\\)"),
      Pattern.compile("File\\.join\\(\\s*__dir__\\s*,\\s*(?:'|\")([^'\"#]+)['\"]\\s*\\)"),
      Pattern.compile("File\\.dirname\\(\\s*__FILE__\\s*\\)\\s*\\+\\s*(?:'|\")/([^'\"#]+)['\"]"));
  private static final Pattern DEF = Pattern.compile("\\b(?:def|alias|alias_method|undef)\\s+(?:self\\.)?$");

  private RubyRequires() {}

  /** The requires of a source, in order of appearance, each once. */
  static List<Require> of(byte[] source) {
    LinkedHashSet<Require> requires = new LinkedHashSet<>();
    String text = new String(source, StandardCharsets.UTF_8); // source code is text; only ASCII names are read
    boolean inDoc = false;
    for (String line : text.split("\n")) {
      if (inDoc) {
        inDoc = !line.startsWith("=end");
        continue;
      }
      if (line.startsWith("=begin")) {
        inDoc = true;
        continue;
      }
      if (line.startsWith("__END__") && line.strip().equals("__END__")) {
        break;
      }
      String code = line.stripLeading();
      if (code.startsWith("#")) {
        continue;
      }
      Matcher call = CALL.matcher(line);
      while (call.find()) {
        if (DEF.matcher(line.substring(0, call.start())).find()) {
          continue; // "def require(path)": a definition, not a call
        }
        argument(line, call.end(), call.group(1).equals("require_relative")).ifPresent(requires::add);
      }
      Matcher autoload = AUTOLOAD.matcher(line);
      while (autoload.find()) {
        argument(line, autoload.end(), false).ifPresent(requires::add);
      }
    }
    return List.copyOf(requires);
  }

  /** The argument starting at {@code at}: a literal, or dynamic; nothing at the end of a line (no argument). */
  private static Optional<Require> argument(String line, int at, boolean relative) {
    String rest = line.substring(at);
    if (rest.isBlank() || rest.startsWith(")") || rest.startsWith("=") || rest.startsWith(";")
        || rest.startsWith("\\")) {
      return Optional.empty(); // a bare "require" (a method name), or one quoted inside a string: nothing named
    }
    for (Pattern beside : BESIDE) {
      Matcher m = beside.matcher(rest);
      if (m.lookingAt()) {
        return Optional.of(new Require(m.group(1), true, false));
      }
    }
    Matcher single = SINGLE.matcher(rest);
    if (single.lookingAt()) {
      return Optional.of(new Require(single.group(1), relative, false));
    }
    Matcher dbl = DOUBLE.matcher(rest);
    if (dbl.lookingAt()) {
      String value = dbl.group(1);
      int interpolation = value.indexOf("#{");
      if (interpolation < 0) {
        return Optional.of(new Require(value, relative, false));
      }
      return Optional.of(new Require(value.substring(0, interpolation), relative, true));
    }
    return Optional.of(new Require("", relative, true));
  }

  /**
   * The features a C extension may require from C: its NUL-terminated strings shaped like a
   * feature path with a directory ({@code "psych/syntax_error"}), read from the bytes of the
   * shared object; a string that only looks like one keeps a file more, the safe side.
   */
  static Set<String> inExtension(byte[] object) {
    Set<String> features = new LinkedHashSet<>();
    int start = 0;
    for (int i = 0; i < object.length; i++) {
      if (object[i] != 0) {
        continue;
      }
      int length = i - start;
      if (length >= 3 && length <= 128) {
        String candidate = new String(object, start, length, StandardCharsets.ISO_8859_1);
        if (EXTENSION_FEATURE.matcher(candidate).matches()) {
          features.add(candidate);
        }
      }
      start = i + 1;
    }
    return features;
  }

  private static final Pattern EXTENSION_FEATURE = Pattern.compile("[a-z_][a-z0-9_]*(/[a-z0-9_]+)+");
}
