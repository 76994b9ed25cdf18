package io.minify.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.fuzz.Fuzzer;
import io.minify.image.TestLayer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Layer tars are image bytes: {@link TarReader} reads any of them to its end or throws a
 * {@link TarFormatException}, and a member's content is exactly its stored bytes.
 */
public class TarReaderFuzzTest {

  /** Valid archives of every member kind and extension the reader understands. */
  public static List<byte[]> seeds() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(new TestLayer().dir("etc").file("etc/hosts", "127.0.0.1 localhost\n")
        .file("usr/bin/tool", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 04755,
            Map.of("security.capability", "\u0001\u0000\u0000\u0002", "user.note", "x"))
        .symlink("usr/bin/sh", "/bin/dash").hardlink("usr/bin/tool2", "usr/bin/tool")
        .charDevice("dev/null", 1, 3).fifo("run/fifo").whiteout("var/cache").opaque("tmp")
        .file("a/" + "long-name-".repeat(20) + "end", "long").bytes());
    seeds.add(new TestLayer().file("./../escape", "x").file("/abs", "y").bytes());
    // old GNU sparse: two stored segments of 4 bytes in a 4096-byte file, map in the header
    byte[] gnuSparse = new byte[167];
    System.arraycopy(TarBlocks.octal(0, 12), 0, gnuSparse, 41, 12);
    System.arraycopy(TarBlocks.octal(4, 12), 0, gnuSparse, 53, 12);
    System.arraycopy(TarBlocks.octal(2048, 12), 0, gnuSparse, 65, 12);
    System.arraycopy(TarBlocks.octal(4, 12), 0, gnuSparse, 77, 12);
    System.arraycopy(TarBlocks.octal(4096, 12), 0, gnuSparse, 138, 12);
    seeds.add(new TarBlocks().header("sparse-old", 'S', 8, gnuSparse).data(bytes("AAAABBBB")).end());
    seeds.add(new TarBlocks().pax("GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=sparse-1.0",
            "GNU.sparse.realsize=8192")
        .header("GNUSparseFile.0/sparse-1.0", '0', 512 + 6, new byte[0])
        .data(concat(pad(bytes("2\n0\n3\n4096\n3\n")), bytes("abcdef"))).end());
    seeds.add(new TarBlocks().pax("GNU.sparse.map=0,2,100,2", "GNU.sparse.size=200", "GNU.sparse.name=sparse-0.1")
        .header("sparse-0.1", '0', 4, new byte[0]).data(bytes("wxyz")).end());
    seeds.add(new TarBlocks().pax("GNU.sparse.offset=10", "GNU.sparse.numbytes=3", "GNU.sparse.size=20",
            "mtime=1700000000.5", "uid=4294967296", "path=pax/name", "SCHILY.xattr.user.a=b")
        .header("sparse-0.0", '0', 3, new byte[0]).data(bytes("123"))
        .header("././@LongLink", 'L', 9, new byte[0]).data(bytes("gnu/long\0"))
        .header("short", '0', 2, new byte[0]).data(bytes("hi")).end());
    seeds.add(new byte[0]);
    return seeds;
  }

  @Test
  void layerTars() throws Exception {
    Fuzzer.ofBytes("TarReader")
        .seeds(seeds())
        .repairedBy(TarBlocks::withChecksumsRepaired)
        .allowing(TarFormatException.class)
        .run(TarReaderFuzzTest::readAll);
  }

  /** Reads every member and its content, as the layer index and the packer do. */
  static void readAll(byte[] archive) throws Exception {
    TarReader tar = new TarReader(new ByteArrayInputStream(archive));
    TarHeader header;
    while ((header = tar.next()) != null) {
      header.displayName();
      InputStream content = tar.content();
      long read = content.transferTo(java.io.OutputStream.nullOutputStream());
      assertEquals(header.storedBytes(), read, "content of " + header.displayName());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] pad(byte[] b) {
    return java.util.Arrays.copyOf(b, (b.length + 511) / 512 * 512);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
