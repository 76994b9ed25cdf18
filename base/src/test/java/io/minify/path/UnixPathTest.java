package io.minify.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class UnixPathTest {
  /** "/d/bad" 0xff ".txt": a name that is not UTF-8. */
  private static final byte[] BAD = {'/', 'd', '/', 'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'};
  /** The same name, but 0xfe: a different file that a decode to U+FFFD would merge with it. */
  private static final byte[] OTHER_BAD = {'/', 'd', '/', 'b', 'a', 'd', (byte) 0xfe, '.', 't', 'x', 't'};

  @Test
  void textPathsAreNormalizedLexically() {
    assertEquals("/usr/bin/env", UnixPath.of("usr//bin/./env/").toString());
    assertEquals("/", UnixPath.of("/../..").toString());
    assertEquals("/etc", UnixPath.of("/usr/../etc").toString());
    assertTrue(UnixPath.of("/").isRoot());
    assertEquals(UnixPath.ROOT, UnixPath.of(""));
  }

  @Test
  void entryNamesWithDotDotAreRefused() {
    assertEquals(Optional.of(UnixPath.of("/etc/x")), UnixPath.ofEntryName(utf8("./etc//x/")));
    assertEquals(Optional.of(UnixPath.ROOT), UnixPath.ofEntryName(utf8("./")));
    assertEquals(Optional.empty(), UnixPath.ofEntryName(utf8("a/../../etc/shadow")));
    assertEquals(Optional.empty(), UnixPath.ofEntryName(new byte[] {'a', 0, 'b'}));
  }

  @Test
  void bytesThatAreNotUtf8SurviveEveryOperation() {
    UnixPath bad = UnixPath.ofBytes(BAD);
    assertArrayEquals(BAD, bad.bytes());
    assertNotEquals(bad, UnixPath.ofBytes(OTHER_BAD), "two such names stay two files");
    assertEquals(2, new TreeSet<>(List.of(bad, UnixPath.ofBytes(OTHER_BAD))).size());
    assertEquals(UnixPath.of("/d"), bad.parent());
    assertArrayEquals(new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'}, bad.name());
    assertEquals(bad, bad.parent().child(bad.name()));
    assertArrayEquals(java.util.Arrays.copyOfRange(BAD, 1, BAD.length), bad.relativeBytes());
    assertTrue(bad.nameEndsWith(".txt"));
    assertTrue(bad.nameStartsWith("bad"));
    assertEquals(Optional.empty(), bad.toUtf8(), "not UTF-8: no lossless text");
    assertEquals(Optional.of("/caf\u00e9"), UnixPath.of("/caf\u00e9").toUtf8());
  }

  @Test
  void displayEscapesWhatIsNotUtf8AndTheBackslash() {
    assertEquals("/d/bad\\xff.txt", UnixPath.ofBytes(BAD).toString());
    assertEquals("/caf\u00e9", UnixPath.of("/caf\u00e9").toString());
    assertEquals("/a\\\\b", UnixPath.of("/a\\b").toString());
    assertEquals("/tab\\x09", UnixPath.of("/tab\t").toString());
    // a lone continuation byte, an overlong encoding and a surrogate are all escaped byte by byte
    assertEquals("/\\x80\\xc0\\xaf\\xed\\xa0\\x80",
        UnixPath.ofBytes(new byte[] {'/', (byte) 0x80, (byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80})
            .toString());
  }

  @Test
  void orderIsUnsignedByteOrderAndSubtreesAreRanges() {
    UnixPath a = UnixPath.of("/a");
    UnixPath ab = UnixPath.of("/a/b");
    UnixPath aDash = UnixPath.of("/a-b");
    UnixPath high = UnixPath.ofBytes(new byte[] {'/', 'a', '/', (byte) 0xff});
    TreeSet<UnixPath> sorted = new TreeSet<>(List.of(high, aDash, ab, a));
    assertEquals(List.of(a, aDash, ab, high), List.copyOf(sorted), "'-' (0x2d) sorts before '/' (0x2f)");
    assertEquals(List.of(ab, high), List.copyOf(sorted.subSet(a.subtreeStart(), true, a.subtreeEnd(), false)));
    assertTrue(ab.isSameOrBelow(a));
    assertTrue(ab.isBelow(a));
    assertFalse(a.isBelow(a));
    assertFalse(aDash.isSameOrBelow(a));
    assertTrue(a.isSameOrBelow(UnixPath.ROOT));
  }

  @Test
  void componentsDepthAndPrefix() {
    UnixPath p = UnixPath.of("/usr/lib/node_modules/express/index.js");
    assertEquals(5, p.depth());
    assertEquals(0, UnixPath.ROOT.depth());
    assertEquals(UnixPath.of("/usr/lib"), p.prefix(2));
    assertEquals(UnixPath.ROOT, p.prefix(0));
    assertEquals(p, p.prefix(9));
    assertEquals(List.of("usr", "lib", "node_modules", "express", "index.js"),
        p.components().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
    assertEquals(UnixPath.of("/usr/lib/x"), UnixPath.of("/usr/bin").resolve("../lib/x"));
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> UnixPath.ofBytes(utf8("relative")));
    assertThrows(IllegalArgumentException.class, () -> UnixPath.ROOT.child(utf8("a/b")));
    assertThrows(IllegalArgumentException.class, () -> UnixPath.ROOT.child(utf8("..")));
    assertThrows(IllegalArgumentException.class, () -> UnixPath.ROOT.child(new byte[0]));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
