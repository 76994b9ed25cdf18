package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathGlobTest {

  @Test
  void starStaysInOneComponentDoubleStarCrossesThem() {
    PathGlob glob = PathGlob.parse("/usr/share/*/README");
    assertTrue(glob.matches("/usr/share/doc/README"));
    assertFalse(glob.matches("/usr/share/doc/x/README"));
    PathGlob deep = PathGlob.parse("/usr/share/**");
    assertTrue(deep.matches("/usr/share/doc/x/README"));
    assertFalse(deep.matches("/usr/share"), "the directory itself is not below itself");
  }

  @Test
  void doubleStarBetweenSlashesMatchesZeroOrMoreComponents() {
    PathGlob glob = PathGlob.parse("/usr/**/*.pyc");
    assertTrue(glob.matches("/usr/a.pyc"));
    assertTrue(glob.matches("/usr/lib/python3/__pycache__/a.cpython-311.pyc"));
    assertFalse(glob.matches("/usrx/a.pyc"));
    assertTrue(PathGlob.parse("**/*.md").matches("/a/b/README.md"));
  }

  @Test
  void questionMarkClassesAlternativesAndQuoting() {
    assertTrue(PathGlob.parse("/etc/rc?.d").matches("/etc/rc1.d"));
    assertFalse(PathGlob.parse("/a?b").matches("/a/b"), "? never matches the separator");
    assertTrue(PathGlob.parse("/lib/[a-c]*.so").matches("/lib/bz.so"));
    assertFalse(PathGlob.parse("/lib/[!a-c]*.so").matches("/lib/bz.so"));
    assertFalse(PathGlob.parse("/a[!x]b").matches("/a/b"), "a negated class never matches the separator");
    assertTrue(PathGlob.parse("/x/*.{md,txt}").matches("/x/a.txt"));
    assertFalse(PathGlob.parse("/x/*.{md,txt}").matches("/x/a.html"));
    assertTrue(PathGlob.parse("/weird/\\*name").matches("/weird/*name"));
    assertFalse(PathGlob.parse("/weird/\\*name").matches("/weird/xname"));
    assertTrue(PathGlob.parse("/a.b+c(d)").matches("/a.b+c(d)"), "regex characters are literal");
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
}
