package io.minify.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.io.TempDir;

class ElfParserTest {
  private final ElfParser parser = new ElfParser();

  @TempDir
  Path tmp;

  /**
   * A PIE program as gcc and GNU ld make it (src/test/resources/elf): 11 program headers,
   * PT_DYNAMIC in its second PT_LOAD at another address than its offset, 28 dynamic entries.
   */
  private static byte[] hello() throws Exception {
    return ElfStripPlanTest.fixture("hello");
  }

  @Test
  void parsesARealLinkedProgram() throws Exception {
    byte[] hello = hello();
    ElfInfo info = parser.parse(hello).orElseThrow();
    assertEquals("/lib64/ld-linux-x86-64.so.2", info.interpreter());
    assertEquals(List.of("libgreet.so", "libc.so.6"), info.needed());
    assertEquals(List.of(), info.rpath());
    assertEquals(List.of("$ORIGIN"), info.runpath(), "ld's new dtags: -rpath is written as DT_RUNPATH");
    assertEquals(new ElfIdentity(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, ElfIdentity.EM_X86_64), info.identity());
    Path file = Files.write(tmp.resolve("hello"), hello);
    try (FileChannel channel = FileChannel.open(file)) {
      assertEquals(info, parser.parse(channel).orElseThrow(), "a channel reads what the whole file says");
    }
  }

  @Test
  void parsesSharedObjectsThroughAChannel() throws Exception {
    // a real one that needs nothing, and one shaped like glibc's libc, which needs only the loader
    Path greet = Files.write(tmp.resolve("libgreet.so"), ElfStripPlanTest.fixture("libgreet.so"));
    try (FileChannel channel = FileChannel.open(greet)) {
      ElfInfo info = parser.parse(channel).orElseThrow();
      assertNull(info.interpreter());
      assertEquals(List.of(), info.needed());
      assertEquals(ElfIdentity.EM_X86_64, info.identity().machine());
    }
    Path libc = Files.write(tmp.resolve("libc.so.6"), SyntheticElf.x86_64().needs("ld-linux-x86-64.so.2").build());
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
  void aTruncatedProgramFailsCleanly() throws Exception {
    byte[] hello = hello();
    for (int length : new int[] {4, 10, 16, 40, 63, 64, 100, 500, 1000, 5000, hello.length / 2, hello.length - 1}) {
      byte[] truncated = Arrays.copyOf(hello, length);
      try {
        parser.parse(truncated); // may succeed when everything needed is still there
      } catch (ElfFormatException expected) {
        assertFalse(expected.getMessage().isBlank());
      }
    }
    var e = assertThrows(ElfFormatException.class, () -> parser.parse(Arrays.copyOf(hello, 40)));
    assertEquals("ELF header (offset 0, 64 bytes) lies outside the 40-byte file", e.getMessage());
  }

  @Test
  void garbageAndMutatedHeadersNeverThrowAnythingElse() throws Exception {
    byte[] hello = hello();
    Random random = new Random(42);
    for (int round = 0; round < 3000; round++) {
      byte[] mutated = Arrays.copyOf(hello, round % 3 == 0 ? hello.length : 4096 + random.nextInt(hello.length - 4096));
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
