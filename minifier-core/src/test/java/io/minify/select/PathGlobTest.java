package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.path.UnixPath;
import org.junit.jupiter.api.Test;

class PathGlobTest {

  @Test
  void starStaysInOneComponentDoubleStarCrossesThem() {
    PathGlob glob = PathGlob.parse("/usr/share/*/README");
    assertTrue(glob.matches(p("/usr/share/doc/README")));
    assertFalse(glob.matches(p("/usr/share/doc/x/README")));
    PathGlob deep = PathGlob.parse("/usr/share/**");
    assertTrue(deep.matches(p("/usr/share/doc/x/README")));
    assertFalse(deep.matches(p("/usr/share")), "the directory itself is not below itself");
  }

  @Test
  void doubleStarBetweenSlashesMatchesZeroOrMoreComponents() {
    PathGlob glob = PathGlob.parse("/usr/**/*.pyc");
    assertTrue(glob.matches(p("/usr/a.pyc")));
    assertTrue(glob.matches(p("/usr/lib/python3/__pycache__/a.cpython-311.pyc")));
    assertFalse(glob.matches(p("/usrx/a.pyc")));
    assertTrue(PathGlob.parse("**/*.md").matches(p("/a/b/README.md")));
  }

  @Test
  void questionMarkClassesAlternativesAndQuoting() {
    assertTrue(PathGlob.parse("/etc/rc?.d").matches(p("/etc/rc1.d")));
    assertFalse(PathGlob.parse("/a?b").matches(p("/a/b")), "? never matches the separator");
    assertTrue(PathGlob.parse("/lib/[a-c]*.so").matches(p("/lib/bz.so")));
    assertFalse(PathGlob.parse("/lib/[!a-c]*.so").matches(p("/lib/bz.so")));
    assertFalse(PathGlob.parse("/a[!x]b").matches(p("/a/b")), "a negated class never matches the separator");
    assertTrue(PathGlob.parse("/x/*.{md,txt}").matches(p("/x/a.txt")));
    assertFalse(PathGlob.parse("/x/*.{md,txt}").matches(p("/x/a.html")));
    assertTrue(PathGlob.parse("/weird/\\*name").matches(p("/weird/*name")));
    assertFalse(PathGlob.parse("/weird/\\*name").matches(p("/weird/xname")));
    assertTrue(PathGlob.parse("/a.b+c(d)").matches(p("/a.b+c(d)")), "regex characters are literal");
  }

  @Test
  void malformedGlobsNameTheBadPart() {
    assertEquals("'/a/[bc' : unclosed '[' at position 4".replace(" :", ":"),
        assertThrows(IllegalArgumentException.class, () -> PathGlob.parse("/a/[bc")).getMessage());
    assertEquals("'/a/{b,c': unclosed '{' at position 4",
        assertThrows(IllegalArgumentException.class, () -> PathGlob.parse("/a/{b,c")).getMessage());
    assertEquals("'/a\\': a trailing '\\' quotes nothing",
        assertThrows(IllegalArgumentException.class, () -> PathGlob.parse("/a\\")).getMessage());
    assertEquals("'usr/**' must start with '/' or '**' (patterns match absolute paths)",
        assertThrows(IllegalArgumentException.class, () -> PathGlob.parse("usr/**")).getMessage());
    assertEquals("the pattern is empty", assertThrows(IllegalArgumentException.class, () -> PathGlob.parse(""))
        .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PathGlob.parse("/a/[b/c]")).getMessage()
        .contains("'/' inside '[...]'"));
  }

  @Test
  void namesAreMatchedAsBytesWholeCharactersAtATime() {
    UnixPath notUtf8 = UnixPath.ofBytes(new byte[] {'/', 'd', '/', 'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'});
    assertTrue(PathGlob.parse("/d/*.txt").matches(notUtf8), "a byte that is not UTF-8 is part of a name");
    assertTrue(PathGlob.parse("/d/bad?.txt").matches(notUtf8), "and counts as one character");
    assertFalse(PathGlob.parse("/d/bad??.txt").matches(notUtf8));
    assertTrue(PathGlob.parse("/caf?").matches(p("/caf\u00e9")), "? is one character, not one byte");
    assertFalse(PathGlob.parse("/caf??").matches(p("/caf\u00e9")));
    assertTrue(PathGlob.parse("/caf[\u00e9e]").matches(p("/caf\u00e9")));
    assertFalse(PathGlob.parse("/caf[!\u00e9]").matches(p("/caf\u00e9")));
    assertTrue(PathGlob.parse("/caf[!a-z]").matches(p("/caf\u00e9")), "a negated ASCII class takes one non-ASCII character");
    assertTrue(PathGlob.parse("/line**").matches(p("/line\nbreak")), "** steps over a newline byte");
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }
}
