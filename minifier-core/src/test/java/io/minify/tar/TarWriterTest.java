package io.minify.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

public class TarWriterTest {
  /** security.capability for cap_setuid+ep (VFS_CAP_REVISION_2): bit 7 makes a byte of 0x80. */
  public static final byte[] CAP_SETUID = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  /** system.posix_acl_access: user::rwx, user:1000:r-x, group::r-x, mask::r-x, other::--- . */
  public static final byte[] ACL = {2, 0, 0, 0, 1, 0, 7, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
      2, 0, 5, 0, (byte) 0xe8, 3, 0, 0, 4, 0, 5, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
      16, 0, 5, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 32, 0, 0, 0, (byte) 0xff, (byte) 0xff,
      (byte) 0xff, (byte) 0xff};
  public static final byte[] BAD_NAME = {'d', 'a', 't', 'a', '/', 'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'};
  static final String PREFIX_NAME = "usr/share/" + "p".repeat(120) + "/file-in-prefixed-dir";
  /** No '/' splits this into a ustar prefix of <= 155 and a name of <= 100 bytes: PAX it is. */
  static final String PAX_NAME = "usr/share/" + "y".repeat(200) + "/" + "z".repeat(120);
  static final String LONG_LINK = "/opt/" + "l".repeat(150);

  static Xattrs xattrs(String name, byte[] value) {
    return Xattrs.builder().put(name.getBytes(StandardCharsets.US_ASCII), value).build();
  }

  static TarWriter.Member member(byte[] name, byte type, long size, byte[] link, Xattrs x) {
    return new TarWriter.Member(name, type, 0644, 0, 0, size, 1_700_000_000L, link, 0, 0, x);
  }

  /** A small archive with each kind of member and each reason for a PAX header. */
  public static byte[] sample() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarWriter tar = new TarWriter(out);
    byte[] none = new byte[0];
    tar.putEntry(new TarWriter.Member(bytes("data/"), TarHeader.DIRECTORY, 0750, 0, 0, 0, 1_700_000_000L, none, 0, 0,
        Xattrs.builder().put(bytes("system.posix_acl_access"), ACL).put(bytes("system.posix_acl_default"), ACL)
            .build()));
    tar.closeEntry(0);
    put(tar, member(BAD_NAME, TarHeader.REGULAR, 5, none, Xattrs.NONE), bytes("bytes"));
    put(tar, member(bytes("data/cap-tool"), TarHeader.REGULAR, 3, none, xattrs("security.capability", CAP_SETUID)),
        bytes("ELF"));
    put(tar, member(bytes("data/link-to-bad"), TarHeader.HARDLINK, 0, BAD_NAME, Xattrs.NONE), null);
    put(tar, member(bytes("data/symlink"), TarHeader.SYMLINK, 0, bytes("bad\u00ff.txt"), Xattrs.NONE), null);
    put(tar, member(bytes("data/long-link"), TarHeader.SYMLINK, 0, bytes(LONG_LINK), Xattrs.NONE), null);
    put(tar, new TarWriter.Member(bytes("data/fifo"), TarHeader.FIFO, 0600, 0, 0, 0, 1_700_000_000L, none, 0, 0,
        Xattrs.NONE), null);
    put(tar, new TarWriter.Member(bytes("data/zero"), TarHeader.CHAR_DEVICE, 0666, 0, 0, 0, 1_700_000_000L, none, 1, 5,
        Xattrs.NONE), null);
    put(tar, member(bytes(PREFIX_NAME), TarHeader.REGULAR, 2, none, Xattrs.NONE), bytes("pp"));
    put(tar, member(bytes(PAX_NAME), TarHeader.REGULAR, 1, none, Xattrs.NONE), bytes("x"));
    put(tar, new TarWriter.Member(bytes("data/big-ids"), TarHeader.REGULAR, 0644, 3_000_000_000L, 16_777_216L, 0,
        -5L, none, 0, 0, Xattrs.NONE), null);
    tar.finish();
    return out.toByteArray();
  }

  private static void put(TarWriter tar, TarWriter.Member m, byte[] content) throws IOException {
    tar.putEntry(m);
    if (content != null) {
      tar.write(content, 0, content.length);
    }
    tar.closeEntry(m.size());
  }

  @Test
  void contentWrittenPastTheWriterIsCountedAsItsOwn() throws IOException {
    ByteArrayOutputStream through = new ByteArrayOutputStream();
    TarWriter one = new TarWriter(through);
    one.putEntry(member(bytes("f"), TarHeader.REGULAR, 700, new byte[0], Xattrs.NONE));
    one.write(new byte[700], 0, 700);
    one.closeEntry(700);
    one.finish();

    ByteArrayOutputStream past = new ByteArrayOutputStream();
    TarWriter other = new TarWriter(past);
    other.putEntry(member(bytes("f"), TarHeader.REGULAR, 700, new byte[0], Xattrs.NONE));
    past.write(new byte[700]); // as the kernel would copy a file into the output
    other.contentWrittenPast(700);
    assertEquals(512 + 700, other.bytesWritten());
    other.closeEntry(700);
    other.finish();
    assertArrayEquals(through.toByteArray(), past.toByteArray());

    TarWriter third = new TarWriter(new ByteArrayOutputStream());
    third.putEntry(member(bytes("g"), TarHeader.REGULAR, 10, new byte[0], Xattrs.NONE));
    assertThrows(IllegalStateException.class, () -> third.contentWrittenPast(11));
  }

  @Test
  void readsBackByteForByteWithOurReader() throws Exception {
    TarReader reader = new TarReader(new ByteArrayInputStream(sample()));
    List<TarHeader> headers = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    TarHeader h;
    while ((h = reader.next()) != null) {
      headers.add(h);
      contents.add(reader.content().readAllBytes());
    }
    assertEquals(11, headers.size());
    assertArrayEquals(bytes("data/"), headers.get(0).name());
    assertArrayEquals(ACL, headers.get(0).xattrs().list().get(0).value());
    assertEquals(2, headers.get(0).xattrs().size());
    assertEquals(0750, headers.get(0).mode());
    assertArrayEquals(BAD_NAME, headers.get(1).name());
    assertArrayEquals(bytes("bytes"), contents.get(1));
    assertArrayEquals(CAP_SETUID, headers.get(2).xattrs().list().get(0).value());
    assertArrayEquals(bytes("security.capability"), headers.get(2).xattrs().list().get(0).name());
    assertArrayEquals(BAD_NAME, headers.get(3).linkName());
    assertArrayEquals(new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'}, headers.get(4).linkName());
    assertArrayEquals(bytes(LONG_LINK), headers.get(5).linkName());
    assertEquals(TarHeader.FIFO, headers.get(6).typeFlag());
    assertEquals(1, headers.get(7).devMajor());
    assertEquals(5, headers.get(7).devMinor());
    assertArrayEquals(bytes(PREFIX_NAME), headers.get(8).name());
    assertArrayEquals(bytes("pp"), contents.get(8));
    assertArrayEquals(bytes(PAX_NAME), headers.get(9).name());
    assertEquals(3_000_000_000L, headers.get(10).uid());
    assertEquals(16_777_216L, headers.get(10).gid());
    assertEquals(-5L, headers.get(10).mtimeEpochSeconds());
    assertNull(reader.next());
  }

  @Test
  void anIndependentReaderSeesTheSameArchive() throws Exception {
    // commons-compress decodes PAX values as UTF-8, so only the text parts are compared here.
    Map<String, TarArchiveEntry> byName = new java.util.HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(sample()))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        byName.put(e.getName(), e);
      }
    }
    assertTrue(byName.get("data/").isDirectory());
    assertTrue(byName.containsKey(PREFIX_NAME), byName.keySet().toString());
    assertTrue(byName.containsKey(PAX_NAME), byName.keySet().toString());
    assertEquals(LONG_LINK, byName.get("data/long-link").getLinkName());
    assertEquals(3_000_000_000L, byName.get("data/big-ids").getLongUserId());
    assertTrue(byName.get("data/zero").isCharacterDevice());
    assertEquals(5, byName.get("data/zero").getDevMinor());
  }

  @Test
  void sameMembersGiveTheSameBytes() throws Exception {
    byte[] first = sample();
    assertArrayEquals(first, sample());
    // The layout is part of every slim image's digest: a change here changes every image id.
    // (Checked once by extracting it with GNU tar --xattrs: names, ACLs, capability, devices.)
    assertEquals("f28a85a1a9f223ce018f3e21efbe1b4e8a39e79e98c5a1c7e4299d1c08acd8b2",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first)));
  }

  @Test
  void aMemberMustGetExactlyItsContent() throws Exception {
    TarWriter tar = new TarWriter(new ByteArrayOutputStream());
    tar.putEntry(member(bytes("f"), TarHeader.REGULAR, 3, new byte[0], Xattrs.NONE));
    assertThrows(IllegalStateException.class, () -> tar.write(new byte[4], 0, 4));
    tar.write(new byte[2], 0, 2);
    assertThrows(IllegalStateException.class, () -> tar.closeEntry(3));
  }

  @Test
  void longNamesSplitAtTheLastFittingSlash() {
    assertEquals(-1, TarWriter.ustarSplit(bytes("x".repeat(101))));
    byte[] name = bytes("a".repeat(100) + "/" + "b".repeat(100));
    assertEquals(100, TarWriter.ustarSplit(name));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1); // test names are written byte per char
  }
}
