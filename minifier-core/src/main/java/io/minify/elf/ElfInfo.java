package io.minify.elf;

import java.util.List;

/**
 * What the dynamic loader needs from an ELF file.
 *
 * @param interpreter PT_INTERP path (e.g. "/lib64/ld-linux-x86-64.so.2"), null if static
 * @param needed      DT_NEEDED sonames in order
 * @param rpath       DT_RPATH entries (split on ':'), unexpanded ($ORIGIN kept)
 * @param runpath     DT_RUNPATH entries (split on ':'), unexpanded
 * @param identity    class, byte order and machine; null when unknown (then treated as
 *                    compatible with anything)
 */
public record ElfInfo(
    String interpreter, List<String> needed, List<String> rpath, List<String> runpath, ElfIdentity identity) {
  public ElfInfo {
    needed = List.copyOf(needed);
    rpath = List.copyOf(rpath);
    runpath = List.copyOf(runpath);
  }

  /** Whether a library described by {@code library} can satisfy this file's dependencies. */
  public boolean canLoad(ElfInfo library) {
    return identity == null || library.identity == null || identity.canLoad(library.identity);
  }
}
