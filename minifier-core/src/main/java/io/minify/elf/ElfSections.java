package io.minify.elf;

import static io.minify.elf.BoundedReader.u16;
import static io.minify.elf.BoundedReader.u32;

import io.minify.elf.ElfIdentity.ElfClass;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The section header table of an ELF file with each section's name, and what of the ELF
 * header and program headers a rewrite of the file's tail needs.
 *
 * <p>Read from untrusted input like {@link ElfParser}: every offset is bounds-checked and
 * every read capped (the table at {@value #MAX_TABLE_BYTES} bytes, the names at
 * {@value #MAX_NAME_BYTES}), so a hostile file costs a few MiB at most and fails with an
 * {@link ElfFormatException}.
 *
 * @param identity           class, byte order and machine
 * @param objectType         e_type (2 = ET_EXEC, 3 = ET_DYN, 1 = ET_REL)
 * @param fileSize           bytes of the file
 * @param headerSize         bytes of the ELF header (52 or 64)
 * @param loadedEnd          where the last byte the loader reads ends: the ELF header, the
 *                           program header table and every program header's file range
 * @param sectionTableOffset e_shoff
 * @param stringTableIndex   e_shstrndx: the section holding the section names
 * @param sections           every section, index 0 (the null section) first; empty when the
 *                           file has none (e_shnum 0, also the case of extended numbering)
 */
public record ElfSections(ElfIdentity identity, int objectType, long fileSize, int headerSize, long loadedEnd,
    long sectionTableOffset, int stringTableIndex, List<Section> sections) {

  public static final int ET_REL = 1;
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;
  public static final int SHT_PROGBITS = 1;
  public static final int SHT_SYMTAB = 2;
  public static final int SHT_STRTAB = 3;
  public static final int SHT_RELA = 4;
  public static final int SHT_NOBITS = 8;
  public static final int SHT_REL = 9;
  public static final int SHT_DYNSYM = 11;
  public static final int SHT_SYMTAB_SHNDX = 18;
  public static final long SHF_ALLOC = 0x2;
  public static final long SHF_INFO_LINK = 0x40;
  /** e_shstrndx saying the real index is elsewhere (extended numbering). */
  public static final int SHN_XINDEX = 0xffff;
  /** Indices from here on are reserved: e_shnum at or above it means extended numbering. */
  public static final int SHN_LORESERVE = 0xff00;

  static final int MAX_TABLE_BYTES = 8 << 20;
  static final int MAX_NAME_BYTES = 1 << 20;
  private static final int MAX_PROGRAM_HEADERS = 4096;
  private static final int PT_NULL = 0;

  public ElfSections {
    sections = List.copyOf(sections);
  }

  public boolean is64() {
    return identity.elfClass() == ElfClass.ELF64;
  }

  /** Bytes of one section header: 64 or 40 (the only e_shentsize this reader accepts). */
  public int sectionHeaderSize() {
    return is64() ? 64 : 40;
  }

  /**
   * One section header.
   *
   * @param index      its index in the table
   * @param nameOffset sh_name, the offset of its name in the names section
   * @param name       its name, one char per byte (ISO-8859-1, so no byte is lost); "" when
   *                   the names section does not hold it
   */
  public record Section(int index, long nameOffset, String name, int type, long flags, long address, long offset,
      long size, long link, long info, long addralign, long entsize) {

    public boolean isAlloc() {
      return (flags & SHF_ALLOC) != 0;
    }

    /** Whether it occupies bytes of the file (SHT_NOBITS such as .bss does not). */
    public boolean hasFileBytes() {
      return type != SHT_NOBITS && size > 0;
    }

    /** Whether sh_info names a section (relocations, or SHF_INFO_LINK), not a count or symbol. */
    public boolean infoIsSectionIndex() {
      return type == SHT_REL || type == SHT_RELA || (flags & SHF_INFO_LINK) != 0;
    }
  }

  /** Reads a file's sections; empty when it is not ELF. */
  public static Optional<ElfSections> read(SeekableByteChannel channel) throws IOException, ElfFormatException {
    BoundedReader reader = new BoundedReader(channel, channel.size());
    long size = reader.size();
    if (size < 4 || reader.read(0, 4, ByteOrder.BIG_ENDIAN, "ELF magic").getInt() != 0x7f454c46) {
      return Optional.empty();
    }
    if (size < 16) {
      throw new ElfFormatException("truncated ELF identification (" + size + " bytes)");
    }
    ByteBuffer ident = reader.read(0, 16, ByteOrder.BIG_ENDIAN, "ELF identification");
    ElfClass elfClass = switch (ident.get(4)) {
      case 1 -> ElfClass.ELF32;
      case 2 -> ElfClass.ELF64;
      default -> throw new ElfFormatException("invalid ELF class " + ident.get(4));
    };
    ByteOrder order = switch (ident.get(5)) {
      case 1 -> ByteOrder.LITTLE_ENDIAN;
      case 2 -> ByteOrder.BIG_ENDIAN;
      default -> throw new ElfFormatException("invalid ELF data encoding " + ident.get(5));
    };
    boolean is64 = elfClass == ElfClass.ELF64;
    int headerSize = is64 ? 64 : 52;
    ByteBuffer h = reader.read(0, headerSize, order, "ELF header");
    int type = u16(h, 16);
    int machine = u16(h, 18);
    long phoff = is64 ? h.getLong(32) : u32(h, 28);
    long shoff = is64 ? h.getLong(40) : u32(h, 32);
    int phentsize = u16(h, is64 ? 54 : 42);
    int phnum = u16(h, is64 ? 56 : 44);
    int shentsize = u16(h, is64 ? 58 : 46);
    int shnum = u16(h, is64 ? 60 : 48);
    int shstrndx = u16(h, is64 ? 62 : 50);
    ElfIdentity identity = new ElfIdentity(elfClass, order, machine);

    long loadedEnd = headerSize;
    if (phnum > 0) {
      if (phentsize < (is64 ? 56 : 32) || phnum > MAX_PROGRAM_HEADERS) {
        throw new ElfFormatException("invalid program header table (" + phnum + " entries of " + phentsize + " bytes)");
      }
      ByteBuffer table = reader.read(phoff, (long) phnum * phentsize, order, "program header table");
      loadedEnd = Math.max(loadedEnd, phoff + (long) phnum * phentsize);
      for (int i = 0; i < phnum; i++) {
        int base = i * phentsize;
        long offset = is64 ? table.getLong(base + 8) : u32(table, base + 4);
        long fileSize = is64 ? table.getLong(base + 32) : u32(table, base + 16);
        if (table.getInt(base) == PT_NULL || fileSize == 0) {
          continue;
        }
        if (offset < 0 || fileSize < 0 || offset > size || fileSize > size - offset) {
          throw new ElfFormatException("program header " + i + " lies outside the " + size + "-byte file");
        }
        loadedEnd = Math.max(loadedEnd, offset + fileSize);
      }
    }
    if (shnum == 0 || shnum >= SHN_LORESERVE) {
      return Optional.of(new ElfSections(identity, type, size, headerSize, loadedEnd, shoff, shstrndx, List.of()));
    }
    int entrySize = is64 ? 64 : 40;
    if (shentsize != entrySize) {
      throw new ElfFormatException("section header entry size " + shentsize + ", expected " + entrySize);
    }
    if ((long) shnum * entrySize > MAX_TABLE_BYTES) {
      throw new ElfFormatException("section header table larger than " + MAX_TABLE_BYTES + " bytes");
    }
    ByteBuffer table = reader.read(shoff, (long) shnum * entrySize, order, "section header table");
    List<Section> raw = new ArrayList<>(shnum);
    for (int i = 0; i < shnum; i++) {
      int b = i * entrySize;
      raw.add(is64
          ? new Section(i, u32(table, b), "", table.getInt(b + 4), table.getLong(b + 8), table.getLong(b + 16),
              table.getLong(b + 24), table.getLong(b + 32), u32(table, b + 40), u32(table, b + 44),
              table.getLong(b + 48), table.getLong(b + 56))
          : new Section(i, u32(table, b), "", table.getInt(b + 4), u32(table, b + 8), u32(table, b + 12),
              u32(table, b + 16), u32(table, b + 20), u32(table, b + 24), u32(table, b + 28), u32(table, b + 32),
              u32(table, b + 36)));
    }
    for (Section s : raw) {
      if (s.hasFileBytes() && (s.offset() < 0 || s.size() < 0 || s.offset() > size || s.size() > size - s.offset())) {
        throw new ElfFormatException("section " + s.index() + " lies outside the " + size + "-byte file");
      }
    }
    byte[] names = new byte[0];
    if (shstrndx != SHN_XINDEX && shstrndx < shnum) {
      Section strings = raw.get(shstrndx);
      if (strings.size() > MAX_NAME_BYTES) {
        throw new ElfFormatException("section names take more than " + MAX_NAME_BYTES + " bytes");
      }
      if (strings.hasFileBytes()) {
        names = reader.read(strings.offset(), strings.size(), order, "section names").array();
      }
    }
    List<Section> sections = new ArrayList<>(shnum);
    for (Section s : raw) {
      sections.add(new Section(s.index(), s.nameOffset(), name(names, s.nameOffset()), s.type(), s.flags(),
          s.address(), s.offset(), s.size(), s.link(), s.info(), s.addralign(), s.entsize()));
    }
    return Optional.of(new ElfSections(identity, type, size, headerSize, loadedEnd, shoff, shstrndx, sections));
  }

  private static String name(byte[] names, long offset) {
    if (offset < 0 || offset >= names.length) {
      return "";
    }
    int end = (int) offset;
    while (end < names.length && names[end] != 0) {
      end++;
    }
    return new String(names, (int) offset, end - (int) offset, StandardCharsets.ISO_8859_1);
  }
}
