package io.minify.select;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Ruby source loads, found by reading its text; the one scanner of Ruby code, for the
 * interpreter's library and for gems and the app alike: {@code require 'x'},
 * {@code require("x/y")}, {@code Kernel.require 'x'}, {@code require_relative 'z'} and
 * {@code autoload :Const, 'x'} (as a method too: {@code Foo.autoload(:Const, "x")}),
 * wherever they are: inside methods and blocks is where lazy requires live (a {@code get}
 * route's {@code require 'csv'}). Paths written beside the file ({@code "#{__dir__}/x"},
 * {@code File.expand_path('x', __dir__)}, {@code File.expand_path('../x', __FILE__)},
 * {@code File.join(__dir__, 'x')}) count as {@code require_relative 'x'}. Only string literals
 * name a feature; any other argument ({@code require "x/#{y}"}, {@code require 'x/' + y},
 * {@code require f} in a {@code Dir[...].each}, ActiveSupport's {@code autoload :Const}, which
 * names the file after the constant) is dynamic, with the literal text before the computed
 * part. Comment lines, {@code =begin}/{@code =end} blocks and what follows {@code __END__} are
 * not code. A require found in a string that looks like one only keeps a feature more; that is
 * the safe side.
 */
final class RubyRequires {
  /**
   * One require. For a dynamic one, {@code feature} is the literal start of the computed name
   * ("rubygems/defaults/" of {@code "rubygems/defaults/#{RUBY_ENGINE}"}), often "".
   *
   * @param relative {@code require_relative}: the feature is relative to the requiring file
   */
  record Require(Call call, String feature, boolean relative, boolean dynamic) {}

  /** The method that loads. */
  enum Call {
    REQUIRE("require"), REQUIRE_RELATIVE("require_relative"), AUTOLOAD("autoload");

    private final String word;

    Call(String word) {
      this.word = word;
    }

    /** As the source writes it, for the reason a file is kept. */
    String word() {
      return word;
    }
  }

  /**
   * What one source loads.
   *
   * @param requires     each load once, in order of appearance
   * @param sendsRequire whether it hands {@code require} on as a method ({@code method(:require)},
   *                     {@code &:require}), which then loads names the scan cannot see
   * @param zeitwerk     whether it sets up Zeitwerk, which loads a gem's files by names made from
   *                     its directory
   */
  record Scan(List<Require> requires, boolean sendsRequire, boolean zeitwerk) {
    Scan {
      requires = List.copyOf(requires);
    }
  }

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
  // a bare autoload :Const, whose file ActiveSupport makes from the constant's name
  private static final Pattern AUTOLOAD_BY_NAME =
      Pattern.compile("(?<![\\w:$@])autoload(?![\\w?!:=])\\s*\\(?\\s*:\\w+\\s*\\)?\\s*(?:$|;|#)");
  private static final Pattern SENT =
      Pattern.compile("(?:method|send|public_send|__send__)\\(\\s*:require(?:_relative)?\\b|&:require\\b");
  // what follows a literal name and makes it the start of a computed one: require 'x/' + name
  private static final Pattern JOINED = Pattern.compile("\\s*[+%]");
  /** What can follow the word when it is not a call with an argument: a bare {@code require}. */
  private static final String NO_ARGUMENT = ")=;\\}],";
  private static final Pattern DEF = Pattern.compile("\\b(?:def|alias|alias_method|undef)\\s+(?:self\\.)?$");

  private RubyRequires() {}

  /** What a source loads. */
  static Scan of(byte[] source) {
    LinkedHashSet<Require> requires = new LinkedHashSet<>();
    boolean sendsRequire = false;
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
        Call how = call.group(1).equals("require_relative") ? Call.REQUIRE_RELATIVE : Call.REQUIRE;
        argument(line, call.end(), how).ifPresent(requires::add);
      }
      Matcher autoload = AUTOLOAD.matcher(line);
      while (autoload.find()) {
        argument(line, autoload.end(), Call.AUTOLOAD).ifPresent(requires::add);
      }
      if (AUTOLOAD_BY_NAME.matcher(line).find()) {
        requires.add(new Require(Call.AUTOLOAD, "", false, true));
      }
      sendsRequire |= SENT.matcher(line).find();
    }
    return new Scan(List.copyOf(requires), sendsRequire, text.contains("Zeitwerk::Loader"));
  }

  /** The argument starting at {@code at}: a literal, or dynamic; nothing at the end of a line (no argument). */
  private static Optional<Require> argument(String line, int at, Call call) {
    boolean relative = call == Call.REQUIRE_RELATIVE;
    String rest = line.substring(at);
    if (rest.isBlank() || NO_ARGUMENT.indexOf(rest.charAt(0)) >= 0) {
      return Optional.empty(); // a bare "require" (a method name), or one quoted inside a string: nothing named
    }
    for (Pattern beside : BESIDE) {
      Matcher m = beside.matcher(rest);
      if (m.lookingAt()) {
        return Optional.of(new Require(call, m.group(1), true, false));
      }
    }
    Matcher single = SINGLE.matcher(rest);
    if (single.lookingAt()) {
      return Optional.of(new Require(call, single.group(1), relative, joined(rest, single.end())));
    }
    Matcher dbl = DOUBLE.matcher(rest);
    if (dbl.lookingAt()) {
      String value = dbl.group(1);
      int interpolation = value.indexOf("#{");
      if (interpolation < 0) {
        return Optional.of(new Require(call, value, relative, joined(rest, dbl.end())));
      }
      return Optional.of(new Require(call, value.substring(0, interpolation), relative, true));
    }
    return Optional.of(new Require(call, "", relative, true));
  }

  /** Whether the literal that ends at {@code end} is only the start of a name: {@code 'x/' + name}. */
  private static boolean joined(String rest, int end) {
    return JOINED.matcher(rest).region(end, rest.length()).lookingAt();
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
