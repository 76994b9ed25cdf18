package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.fuzz.Fuzzer;
import io.minify.path.UnixPath;
import io.minify.tar.TarBlocks;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers are image bytes: merging any stack of them gives a view or an
 * {@link ImageFormatException}, never another exception; and the view keeps its promises
 * (ancestors are directories, a hardlink names a file, content is as long as its size says).
 */
class LayeredImageFilesystemFuzzTest {
  /** Between layers in one fuzz input, so byte edits can also move entries from layer to layer. */
  private static final byte[] LAYER_BREAK = "\n--minify-layer--\n".getBytes(StandardCharsets.US_ASCII);
  /** Enough of each file to see that it reads; a sparse file's declared size may be huge. */
  private static final long READ_CAP = 64 << 10;

  @TempDir
  Path dir;

  @Test
  void layerStacks() throws Exception {
    Fuzzer.ofBytes("LayeredImageFilesystem")
        .seeds(seeds())
        .repairedBy(TarBlocks::withChecksumsRepaired)
        .allowing(ImageFormatException.class)
        .run(this::mergeAndRead);
  }

  static List<byte[]> seeds() throws Exception {
    byte[] base = new TestLayer().dir("etc").file("etc/passwd", "root:x:0:0\n").dir("usr/lib")
        .file("usr/lib/libc.so", "ELF".getBytes(StandardCharsets.UTF_8), 0755, Map.of("user.x", "y"))
        .hardlink("usr/lib/libc.so.6", "usr/lib/libc.so").symlink("lib", "usr/lib").symlink("loop", "loop")
        .dir("var/cache/apt").file("var/cache/apt/pkg", "p").fifo("run/fifo").charDevice("dev/null", 1, 3).bytes();
    byte[] upper = new TestLayer().whiteout("var/cache").opaque("etc").file("etc/hostname", "h")
        .whiteout("usr/lib/libc.so").hardlink("usr/lib/again", "usr/lib/libc.so.6").file("lib/x", "through link")
        .dir("usr/lib/libc.so.6").file(".wh..wh.plnk", "aufs").bytes();
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(stack(base, upper));
    seeds.add(stack(base, upper, base));
    // one odd entry a layer: the first refused entry would hide the ones after it
    seeds.add(stack(base, new TestLayer().file("../evil", "x").bytes()));
    seeds.add(stack(base, new TestLayer().hardlink("h", "/etc/passwd").bytes()));
    seeds.add(stack(base, new TestLayer().hardlink("d", "etc").bytes()));
    seeds.add(stack(base, new TestLayer().hardlink("missing", "nowhere").bytes()));
    seeds.add(stack(base, new TestLayer().file("etc/.wh.x", "").file("etc/.wh..wh.", "").bytes()));
    seeds.add(stack(base, new TestLayer().file("etc/.wh.", "").bytes()));
    seeds.add(stack(base, new TestLayer().file("usr/lib/libc.so/below", "file as dir").bytes()));
    for (byte[] tar : io.minify.tar.TarReaderFuzzTest.seeds()) {
      seeds.add(stack(base, tar));
    }
    return seeds;
  }

  private void mergeAndRead(byte[] input) throws Exception {
    List<Path> layers = new ArrayList<>();
    int from = 0;
    for (int at = indexOf(input, 0); ; at = indexOf(input, from)) {
      Path layer = dir.resolve("layer-" + layers.size() + ".tar");
      Files.write(layer, Arrays.copyOfRange(input, from, at < 0 ? input.length : at));
      layers.add(layer);
      if (at < 0) {
        break;
      }
      from = at + LAYER_BREAK.length;
    }
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(layers)) {
      for (FileEntry entry : fs.entries()) {
        UnixPath parent = entry.path().parent();
        if (!entry.path().isRoot() && !parent.isRoot()) {
          assertTrue(fs.entry(parent).map(FileEntry::isDirectory).orElse(false), "parent of " + entry.path());
        }
        if (entry.type() == EntryType.HARDLINK) {
          assertNotNull(entry.hardlinkTarget(), "target of " + entry.path());
          assertEquals(EntryType.FILE, fs.entry(entry.hardlinkTarget()).map(FileEntry::type).orElse(null),
              "target of " + entry.path());
        }
        if (entry.type() == EntryType.FILE) {
          long expected = Math.min(entry.size(), READ_CAP);
          try (InputStream content = fs.open(entry)) {
            assertEquals(expected, count(content, expected), "content of " + entry.path());
            if (entry.size() <= READ_CAP) {
              assertEquals(-1, content.read(), "content of " + entry.path() + " longer than its size");
            }
          }
        }
        fs.resolve(entry.path());
        if (entry.isDirectory()) {
          fs.below(entry.path());
        }
      }
      fs.resolve("/lib/../usr/./lib//libc.so.6");
    }
  }

  /** Bytes read from {@code in}, up to {@code limit}, through one small buffer. */
  private static long count(InputStream in, long limit) throws java.io.IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) > 0) {
      total += n;
    }
    return total;
  }

  private static byte[] stack(byte[]... layers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < layers.length; i++) {
      if (i > 0) {
        out.writeBytes(LAYER_BREAK);
      }
      out.writeBytes(layers[i]);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] input, int from) {
    for (int i = from; i + LAYER_BREAK.length <= input.length; i++) {
      if (Arrays.equals(input, i, i + LAYER_BREAK.length, LAYER_BREAK, 0, LAYER_BREAK.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Found by {@link #layerStacks}: a whiteout of nothing threw IllegalArgumentException from UnixPath.child. */
  @Test
  void whiteoutNamingNoFileIsABadLayer() throws Exception {
    Path lower = new TestLayer().dir("etc").writeTo(dir.resolve("lower.tar"));
    Path upper = new TestLayer().file("etc/.wh.", "").writeTo(dir.resolve("upper.tar"));
    assertEquals("layer 1 (upper.tar): whiteout 'etc/.wh.' names no file",
        assertThrows(ImageFormatException.class, () -> LayeredImageFilesystem.open(List.of(lower, upper)))
            .getMessage());
  }
}
