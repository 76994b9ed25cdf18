package io.minify.select;

import io.minify.image.ImageConfig;
import io.minify.path.UnixPath;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Tells which {@link DropRule} a kept path falls under. Names are compared as bytes folded to
 * ASCII lower case (a name with other bytes never matches a rule's ASCII words), never decoded.
 */
final class DropMatcher {
  private static final Set<String> DOC_DIRS = Set.of("doc", "docs");
  private static final Pattern DOC_FILE = Pattern.compile(
      "(readme|changelog|changes|history|authors|contributors|contributing|license|licence|copying|notice|news)"
          + "([-_.][a-z0-9._-]*)?|.*\\.(md|markdown|rst)");
  private static final Pattern CODE_FILE =
      Pattern.compile(".*\\.(py|pyc|rb|js|cjs|mjs|pm|pl|php|so|json|ts|node|class|jar|erb|ejs)");
  private static final Set<String> TEST_DIRS = Set.of("test", "tests", "__tests__", "spec", "specs");
  private static final Pattern TEST_FILE =
      Pattern.compile(".*\\.(test|spec)\\.(js|mjs|cjs|ts)|.*_spec\\.rb|.*_test\\.go");
  private static final Pattern HEADER_FILE = Pattern.compile(".*\\.(h|hh|hpp|hxx|h\\+\\+)");
  private static final Pattern ARCHIVE_FILE = Pattern.compile(".*\\.(a|o)");
  private static final Pattern DEV_FILE = Pattern.compile(
      ".*\\.d\\.(ts|mts|cts)|\\.(eslintrc|prettierrc|jshintrc|nycrc|babelrc|editorconfig|travis\\.yml|npmignore"
          + "|gitattributes)([.a-z]*)?|.*\\.(c|cc|cpp|cxx|pyx|pxd|gyp|gypi|po|pot)");
  private static final Pattern SOURCE_MAP = Pattern.compile(".*\\.(js|mjs|cjs)\\.map");
  private static final Set<String> PACKAGE_CONTAINERS = Set.of("node_modules", "site-packages", "dist-packages", "gems");

  private final Set<DropRule> rules;
  private final Set<String> languages;
  private final boolean sourceMapsRead;
  private final Predicate<UnixPath> kept;
  private final Predicate<UnixPath> isDirectory;
  private final boolean jitKept;

  /**
   * @param rules  the drop rules that are on
   * @param config the image's config: its environment selects locales and source maps
   * @param kept   whether a path is kept (a cache's source)
   * @param isDirectory whether a path of the image is a directory
   * @param jitKept whether a JIT library that reads LLVM bitcode is kept
   */
  DropMatcher(Set<DropRule> rules, ImageConfig config, Predicate<UnixPath> kept, Predicate<UnixPath> isDirectory,
      boolean jitKept) {
    this.rules = rules;
    this.languages = selectedLanguages(config);
    this.sourceMapsRead = config.envValue("NODE_OPTIONS") != null
        && config.envValue("NODE_OPTIONS").contains("--enable-source-maps");
    this.kept = kept;
    this.isDirectory = isDirectory;
    this.jitKept = jitKept;
  }

  /**
   * The rule that drops {@code path}, a file or directory a unit rule kept for safety.
   *
   * @param wholesale whether it was kept as part of a whole tree, not because something names it
   */
  Optional<DropRule> ruleFor(UnixPath path, KeepReason reason, boolean wholesale) {
    boolean forSafety = reason == KeepReason.CODE_UNIT || reason == KeepReason.STDLIB
        || reason == KeepReason.APP_PACKAGE || reason == KeepReason.APP_CONTENT;
    if (on(DropRule.BYTECODE_CACHES) && forSafety && isUnreadCache(path)) {
      return Optional.of(DropRule.BYTECODE_CACHES);
    }
    // an app's own content (a site's pages, downloads) is served, so only units' trees lose docs
    if (!wholesale || !forSafety || reason == KeepReason.APP_CONTENT) {
      return Optional.empty();
    }
    String name = lower(path.name());
    for (UnixPath a = path; !a.isRoot(); a = a.parent()) {
      String n = lower(a.name());
      String parent = lower(a.parent().name());
      boolean directory = !a.equals(path) || isDirectory.test(path);
      if (on(DropRule.MAN_PAGES) && (n.equals("man") || n.equals("info")) && parent.equals("share")) {
        return Optional.of(DropRule.MAN_PAGES);
      }
      if (on(DropRule.DOCS) && directory && DOC_DIRS.contains(n) && isDocumentationDir(a)) {
        return Optional.of(DropRule.DOCS);
      }
      if (on(DropRule.LOCALE_CATALOGS) && directory && parent.equals("locale")
          && lower(a.parent().parent().name()).equals("share") && !languages.contains(n)) {
        return Optional.of(DropRule.LOCALE_CATALOGS);
      }
      if (on(DropRule.TEST_SUITES) && directory && TEST_DIRS.contains(n) && !PACKAGE_CONTAINERS.contains(parent)) {
        return Optional.of(DropRule.TEST_SUITES);
      }
      if (on(DropRule.HEADERS) && n.equals("include") && (parent.equals("usr") || parent.equals("local"))) {
        return Optional.of(DropRule.HEADERS);
      }
      if (on(DropRule.LLVM_BITCODE) && n.equals("bitcode") && !jitKept) {
        return Optional.of(DropRule.LLVM_BITCODE);
      }
      if (on(DropRule.DEV_FILES) && n.equals(".github")) {
        return Optional.of(DropRule.DEV_FILES);
      }
    }
    if (on(DropRule.DOCS) && DOC_FILE.matcher(name).matches() && !CODE_FILE.matcher(name).matches()) {
      return Optional.of(DropRule.DOCS);
    }
    if (on(DropRule.TEST_SUITES) && TEST_FILE.matcher(name).matches()) {
      return Optional.of(DropRule.TEST_SUITES);
    }
    if (on(DropRule.HEADERS) && HEADER_FILE.matcher(name).matches()) {
      return Optional.of(DropRule.HEADERS);
    }
    if (on(DropRule.STATIC_ARCHIVES) && ARCHIVE_FILE.matcher(name).matches()) {
      return Optional.of(DropRule.STATIC_ARCHIVES);
    }
    if (on(DropRule.LLVM_BITCODE) && name.endsWith(".bc") && !jitKept) {
      return Optional.of(DropRule.LLVM_BITCODE);
    }
    if (on(DropRule.DEV_FILES) && (DEV_FILE.matcher(name).matches()
        || (!sourceMapsRead && SOURCE_MAP.matcher(name).matches()))) {
      return Optional.of(DropRule.DEV_FILES);
    }
    return Optional.empty();
  }

  /**
   * {@code share/doc}, or a {@code doc}/{@code docs} directory at the root of a Node package
   * (beside its package.json) or of a gem ({@code gems/NAME-VERSION/doc}). Elsewhere such a
   * name may be an app: Tomcat's documentation webapp is a directory {@code docs} holding
   * {@code WEB-INF}.
   */
  private boolean isDocumentationDir(UnixPath dir) {
    UnixPath parent = dir.parent();
    return lower(parent.name()).equals("share") || kept.test(parent.child("package.json"))
        || lower(parent.parent().name()).equals("gems");
  }

  private boolean on(DropRule rule) {
    return rules.contains(rule);
  }

  /**
   * {@code DIR/__pycache__/NAME.TAG[.opt-N].pyc} whose source {@code DIR/NAME.py} is kept: the
   * import system compiles the source when the cache is missing, so a cache of a module the
   * run never imported only saves that compile.
   */
  private boolean isUnreadCache(UnixPath path) {
    if (!path.nameEndsWith(".pyc") || !path.parent().nameEquals("__pycache__")) {
      return false;
    }
    byte[] name = path.name();
    int dot = 0;
    while (dot < name.length && name[dot] != '.') {
      dot++;
    }
    if (dot == 0 || dot == name.length) {
      return false;
    }
    byte[] source = new byte[dot + 3];
    System.arraycopy(name, 0, source, 0, dot);
    source[dot] = '.';
    source[dot + 1] = 'p';
    source[dot + 2] = 'y';
    return kept.test(path.parent().parent().child(source));
  }

  /**
   * The message-catalog directory names the environment selects: for {@code de_DE.UTF-8@euro}
   * that is {@code de_de.utf-8@euro}, {@code de_de@euro}, {@code de_de}, {@code de}; C and POSIX
   * select none. LANGUAGE lists several, and is read by gettext only when a locale is set.
   */
  static Set<String> selectedLanguages(ImageConfig config) {
    Set<String> selected = new LinkedHashSet<>();
    String locale = firstSet(config, "LC_ALL", "LC_MESSAGES", "LANG");
    if (locale == null || isPlain(locale)) {
      return selected;
    }
    String language = config.envValue("LANGUAGE");
    List<String> names = language == null || language.isBlank() ? List.of(locale)
        : List.of((language + ":" + locale).split(":"));
    for (String raw : names) {
      String n = raw.strip().toLowerCase(Locale.ROOT);
      if (n.isEmpty() || isPlain(n)) {
        continue;
      }
      selected.add(n);
      String modifier = n.contains("@") ? n.substring(n.indexOf('@')) : "";
      String base = n.contains("@") ? n.substring(0, n.indexOf('@')) : n;
      String noCodeset = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
      selected.add(noCodeset + modifier);
      selected.add(noCodeset);
      selected.add(language(noCodeset));
    }
    return selected;
  }

  private static boolean isPlain(String locale) {
    String l = locale.toLowerCase(Locale.ROOT);
    return l.equals("c") || l.equals("posix") || l.startsWith("c.") || l.startsWith("c@");
  }

  private static String firstSet(ImageConfig config, String... names) {
    for (String name : names) {
      String value = config.envValue(name);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** "de" of "de_de", "pt" of "pt_br", "sr" of "sr@latin". */
  private static String language(String dir) {
    int end = dir.length();
    for (int i = 0; i < dir.length(); i++) {
      char c = dir.charAt(i);
      if (c == '_' || c == '.' || c == '@') {
        end = i;
        break;
      }
    }
    return dir.substring(0, end);
  }

  /** The name's bytes folded to ASCII lower case; bytes above 127 become '\u0000' and match no rule. */
  private static String lower(byte[] name) {
    char[] chars = new char[name.length];
    for (int i = 0; i < name.length; i++) {
      int b = name[i] & 0xff;
      chars[i] = b >= 'A' && b <= 'Z' ? (char) (b + 32) : b < 128 ? (char) b : '\u0000';
    }
    return new String(chars);
  }
}
