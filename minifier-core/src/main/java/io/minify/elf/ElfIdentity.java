package io.minify.elf;

import java.nio.ByteOrder;

/**
 * What decides whether the dynamic loader of one ELF file can load another: word size,
 * byte order and machine ({@code e_machine}, e.g. 62 = x86-64, 183 = AArch64).
 */
public record ElfIdentity(ElfClass elfClass, ByteOrder byteOrder, int machine) {
  public static final int EM_386 = 3;
  public static final int EM_ARM = 40;
  public static final int EM_PPC64 = 21;
  public static final int EM_S390 = 22;
  public static final int EM_X86_64 = 62;
  public static final int EM_AARCH64 = 183;
  public static final int EM_RISCV = 243;

  /** ELF word size (EI_CLASS). */
  public enum ElfClass { ELF32, ELF64 }

  /** Whether a library with identity {@code other} can satisfy a dependency of this file. */
  public boolean canLoad(ElfIdentity other) {
    return elfClass == other.elfClass && byteOrder.equals(other.byteOrder) && machine == other.machine;
  }

  /** The Debian multiarch triplet ("x86_64-linux-gnu"), or null for an unknown machine. */
  public String multiarchTriplet() {
    boolean is64 = elfClass == ElfClass.ELF64;
    boolean little = byteOrder.equals(ByteOrder.LITTLE_ENDIAN);
    return switch (machine) {
      case EM_X86_64 -> is64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
      case EM_AARCH64 -> is64 ? (little ? "aarch64-linux-gnu" : "aarch64_be-linux-gnu") : null;
      case EM_386 -> "i386-linux-gnu";
      case EM_ARM -> "arm-linux-gnueabihf";
      case EM_PPC64 -> little ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu";
      case EM_S390 -> is64 ? "s390x-linux-gnu" : null;
      case EM_RISCV -> is64 ? "riscv64-linux-gnu" : null;
      default -> null;
    };
  }

  /** The loader's $PLATFORM for this machine (best effort, the kernel's AT_PLATFORM). */
  public String platform() {
    return switch (machine) {
      case EM_X86_64 -> "x86_64";
      case EM_AARCH64 -> "aarch64";
      case EM_386 -> "i686";
      case EM_ARM -> "v7l";
      case EM_PPC64 -> "power8";
      case EM_S390 -> "z13";
      case EM_RISCV -> "riscv64";
      default -> "unknown";
    };
  }
}
