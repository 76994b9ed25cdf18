package io.minify.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minify.elf.ElfIdentity.ElfClass;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ElfParserTest {
  private final ElfParser parser = new ElfParser();

  static Path hostLs() {
    Path ls = Path.of("/bin/ls");
    assumeTrue(Files.isRegularFile(ls), "host has /bin/ls");
    return ls;
  }

  @Test
  void parsesHostLs() throws Exception {
    byte[] ls = Files.readAllBytes(hostLs());
    ElfInfo info = parser.parse(ls).orElseThrow();
    assertTrue(info.interpreter().startsWith("/lib"), info.interpreter());
    assertTrue(info.needed().contains("libc.so.6"), info.needed().toString());
    assertEquals(ElfClass.ELF64, info.identity().elfClass());
    assertEquals(ByteOrder.LITTLE_ENDIAN, info.identity().byteOrder());
    if (System.getProperty("os.arch").equals("amd64")) {
      assertEquals("/lib64/ld-linux-x86-64.so.2", info.interpreter());
      assertEquals(ElfIdentity.EM_X86_64, info.identity().machine());
    }
    try (FileChannel channel = FileChannel.open(hostLs())) {
      assertEquals(info, parser.parse(channel).orElseThrow());
    }
  }

  @Test
  void parsesHostLibc() throws Exception {
    Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    assumeTrue(Files.isRegularFile(libc), "host has a Debian x86_64 libc");
    try (FileChannel channel = FileChannel.open(libc)) {
      ElfInfo info = parser.parse(channel).orElseThrow();
      assertEquals(List.of("ld-linux-x86-64.so.2"), info.needed());
      assertEquals(ElfIdentity.EM_X86_64, info.identity().machine());
    }
  }

  @Test
  void nonElfInputIsEmpty() throws Exception {
    assertEquals(Optional.empty(), parser.parse(new byte[0]));
    assertEquals(Optional.empty(), parser.parse("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Optional.empty(), parser.parse(new byte[] {0x7f, 'E', 'L'}));
  }

  @Test
  void truncatedHostLsFailsCleanly() throws Exception {
    byte[] ls = Files.readAllBytes(hostLs());
    for (int length : new int[] {4, 10, 16, 40, 63, 64, 100, 500, 1000, 5000, ls.length / 2, ls.length - 1}) {
      byte[] truncated = Arrays.copyOf(ls, length);
      try {
        parser.parse(truncated); // may succeed when everything needed is still there
      } catch (ElfFormatException expected) {
        assertFalse(expected.getMessage().isBlank());
      }
    }
    var e = assertThrows(ElfFormatException.class, () -> parser.parse(Arrays.copyOf(ls, 40)));
    assertEquals("ELF header (offset 0, 64 bytes) lies outside the 40-byte file", e.getMessage());
  }

  @Test
  void garbageAndMutatedHeadersNeverThrowAnythingElse() throws Exception {
    byte[] ls = Files.readAllBytes(hostLs());
    Random random = new Random(42);
    for (int round = 0; round < 3000; round++) {
      byte[] mutated = Arrays.copyOf(ls, round % 3 == 0 ? ls.length : 4096 + random.nextInt(ls.length - 4096));
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        // Mostly hit the headers, where offsets and sizes live.
        int at = random.nextInt(4) == 0 ? random.nextInt(mutated.length) : 4 + random.nextInt(1020);
        mutated[at] = (byte) random.nextInt(256);
      }
      try {
        parser.parse(mutated);
      } catch (ElfFormatException expected) {
        // fine: malformed input is reported, not crashed on
      }
    }
    byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    garbage[0] = 0x7f;
    garbage[1] = 'E';
    garbage[2] = 'L';
    garbage[3] = 'F';
    garbage[4] = 2;
    garbage[5] = 1;
    try {
      parser.parse(garbage);
    } catch (ElfFormatException expected) {
      // fine
    }
  }

  @Test
  void parsesAllClassesAndByteOrders() throws Exception {
    for (ElfClass elfClass : ElfClass.values()) {
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        byte[] elf = SyntheticElf.of(elfClass, order, ElfIdentity.EM_PPC64).interpreter("/lib/ld.so.1")
            .needs("liba.so.1", "libb.so.2").rpath("$ORIGIN/../lib:/opt/x").runpath("/run/p").build();
        ElfInfo info = parser.parse(elf).orElseThrow();
        String label = elfClass + " " + order;
        assertEquals("/lib/ld.so.1", info.interpreter(), label);
        assertEquals(List.of("liba.so.1", "libb.so.2"), info.needed(), label);
        assertEquals(List.of("$ORIGIN/../lib", "/opt/x"), info.rpath(), label);
        assertEquals(List.of("/run/p"), info.runpath(), label);
        assertEquals(new ElfIdentity(elfClass, order, ElfIdentity.EM_PPC64), info.identity(), label);
      }
    }
  }

  @Test
  void staticBinaryHasNoInterpreterOrNeeds() throws Exception {
    ElfInfo info = parser.parse(SyntheticElf.x86_64().build()).orElseThrow();
    assertNull(info.interpreter());
    assertEquals(List.of(), info.needed());
  }

  @Test
  void stringTableOutsideTheFileIsReported() throws Exception {
    byte[] elf = SyntheticElf.x86_64().needs("libz.so.1").build();
    // DT_STRSZ says the table is 10 bytes; point DT_NEEDED beyond it.
    int dynamicStart = elf.length - 4 * 16;
    elf[dynamicStart + 8] = 100;
    var e = assertThrows(ElfFormatException.class, () -> parser.parse(elf));
    assertEquals("string offset 100 lies outside DT_STRTAB", e.getMessage());
  }
}
