package io.minify.elf;

import io.minify.elf.ElfIdentity.ElfClass;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds minimal but well-formed ELF files for tests: header, PT_LOAD covering the whole
 * file, optional PT_INTERP, PT_DYNAMIC with DT_NEEDED/DT_RPATH/DT_RUNPATH/DT_STRTAB/DT_STRSZ.
 */
public final class SyntheticElf {
  static final long BASE_ADDRESS = 0x400000;

  private final ElfClass elfClass;
  private final ByteOrder order;
  private final int machine;
  private String interpreter;
  private final List<String> needed = new ArrayList<>();
  private String rpath;
  private String runpath;

  private SyntheticElf(ElfClass elfClass, ByteOrder order, int machine) {
    this.elfClass = elfClass;
    this.order = order;
    this.machine = machine;
  }

  public static SyntheticElf x86_64() {
    return new SyntheticElf(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, ElfIdentity.EM_X86_64);
  }

  public static SyntheticElf of(ElfClass elfClass, ByteOrder order, int machine) {
    return new SyntheticElf(elfClass, order, machine);
  }

  public SyntheticElf interpreter(String path) {
    this.interpreter = path;
    return this;
  }

  public SyntheticElf needs(String... sonames) {
    needed.addAll(List.of(sonames));
    return this;
  }

  public SyntheticElf rpath(String value) {
    this.rpath = value;
    return this;
  }

  public SyntheticElf runpath(String value) {
    this.runpath = value;
    return this;
  }

  public byte[] build() {
    boolean is64 = elfClass == ElfClass.ELF64;
    int ehsize = is64 ? 64 : 52;
    int phentsize = is64 ? 56 : 32;
    int phnum = interpreter == null ? 2 : 3;
    int dynEntrySize = is64 ? 16 : 8;

    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    List<long[]> dynamic = new ArrayList<>();
    for (String soname : needed) {
      dynamic.add(new long[] {1, addString(strtab, soname)});
    }
    if (rpath != null) {
      dynamic.add(new long[] {15, addString(strtab, rpath)});
    }
    if (runpath != null) {
      dynamic.add(new long[] {29, addString(strtab, runpath)});
    }
    byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.UTF_8);
    int interpOffset = ehsize + phnum * phentsize;
    int strtabOffset = interpOffset + interp.length;
    byte[] strings = strtab.toByteArray();
    dynamic.add(new long[] {5, BASE_ADDRESS + strtabOffset});
    dynamic.add(new long[] {10, strings.length});
    dynamic.add(new long[] {0, 0});
    int dynamicOffset = align(strtabOffset + strings.length, 8);
    int total = dynamicOffset + dynamic.size() * dynEntrySize;

    ByteBuffer b = ByteBuffer.allocate(total).order(order);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
    b.position(16);
    b.putShort((short) 3); // ET_DYN
    b.putShort((short) machine);
    b.putInt(1);
    if (is64) {
      b.putLong(0).putLong(ehsize).putLong(0).putInt(0);
    } else {
      b.putInt(0).putInt(ehsize).putInt(0).putInt(0);
    }
    b.putShort((short) ehsize).putShort((short) phentsize).putShort((short) phnum);
    b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
    b.position(ehsize);
    programHeader(b, is64, 1, 0, BASE_ADDRESS, total);
    programHeader(b, is64, 2, dynamicOffset, BASE_ADDRESS + dynamicOffset, total - dynamicOffset);
    if (interpreter != null) {
      programHeader(b, is64, 3, interpOffset, BASE_ADDRESS + interpOffset, interp.length);
    }
    b.position(interpOffset);
    b.put(interp);
    b.put(strings);
    b.position(dynamicOffset);
    for (long[] d : dynamic) {
      if (is64) {
        b.putLong(d[0]).putLong(d[1]);
      } else {
        b.putInt((int) d[0]).putInt((int) d[1]);
      }
    }
    return b.array();
  }

  private static void programHeader(ByteBuffer b, boolean is64, int type, long offset, long vaddr, long size) {
    if (is64) {
      b.putInt(type).putInt(4).putLong(offset).putLong(vaddr).putLong(vaddr).putLong(size).putLong(size).putLong(8);
    } else {
      b.putInt(type).putInt((int) offset).putInt((int) vaddr).putInt((int) vaddr).putInt((int) size)
          .putInt((int) size).putInt(4).putInt(4);
    }
  }

  private static long addString(ByteArrayOutputStream strtab, String s) {
    long offset = strtab.size();
    strtab.writeBytes((s + "\0").getBytes(StandardCharsets.UTF_8));
    return offset;
  }

  private static int align(int value, int alignment) {
    return (value + alignment - 1) / alignment * alignment;
  }
}
