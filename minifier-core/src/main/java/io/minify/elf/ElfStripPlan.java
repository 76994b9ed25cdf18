package io.minify.elf;

import io.minify.elf.ElfSections.Section;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How an ELF program or shared object sheds what no program reads at run time: its debug
 * information ({@code .debug_*}, {@code .zdebug_*}, Go's DWARF included) and its static
 * symbol table ({@code .symtab}, its {@code .strtab}, its {@code SHT_SYMTAB_SHNDX}).
 * Everything the loader maps (SHF_ALLOC: {@code .dynsym}, {@code .dynstr}, {@code .gopclntab},
 * notes...) and every other section ({@code .comment}, {@code .gnu_debuglink}, the section
 * names) is kept.
 *
 * <p>Only the simple, safe case is rewritten, else there is no plan and the file stays as it
 * is: a program or shared object (not a relocatable object such as a kernel module), without
 * extended section numbering, whose removed sections all lie after every byte a program
 * header names and are all numbered after every allocated section (so the section indices
 * {@code .dynsym} and the kept allocated sections refer to keep their meaning), no kept
 * section refers to a removed one, and no byte after them belongs to no section (data
 * appended to a program is read by offset, and would move).
 *
 * <p>The output is the original's bytes up to the first removed section (the ELF header
 * patched: e_shoff, e_shnum, e_shstrndx), then the kept sections that followed it, each at
 * its alignment, then the new section header table (moved sections' sh_offset, and
 * sh_link/sh_info indices renumbered). Its size is known before a byte is written, and it is
 * written in one forward pass over the original, so a file of any size costs a small buffer.
 * Immutable.
 */
public final class ElfStripPlan {
  private static final int COPY_BUFFER = 1 << 16;

  private final long originalSize;
  private final long outputSize;
  /** The original's first bytes with e_shoff, e_shnum and e_shstrndx patched. */
  private final byte[] header;
  /** Bytes of the original copied as they are (the header patched). */
  private final long prefixEnd;
  private final List<Move> moves;
  private final long tableOffset;
  private final byte[] table;
  private final List<String> removed;

  /** A kept section's bytes, from the original's offset to the output's. */
  private record Move(long from, long to, long size) {}

  private ElfStripPlan(long originalSize, long outputSize, byte[] header, long prefixEnd, List<Move> moves,
      long tableOffset, byte[] table, List<String> removed) {
    this.originalSize = originalSize;
    this.outputSize = outputSize;
    this.header = header;
    this.prefixEnd = prefixEnd;
    this.moves = List.copyOf(moves);
    this.tableOffset = tableOffset;
    this.table = table;
    this.removed = List.copyOf(removed);
  }

  /**
   * The plan for an image file (a FILE entry, its bytes read through {@code fs}); empty when
   * it is not an ELF program or shared object that sheds bytes safely, or cannot be read as
   * one: a malformed file is copied as it is, never a reason to fail the build.
   */
  public static Optional<ElfStripPlan> forImageFile(ImageFilesystem fs, FileEntry file) throws IOException {
    if (file.size() < 64) {
      return Optional.empty();
    }
    try (ImageFileChannel channel = new ImageFileChannel(fs, file, file.size())) {
      return of(channel);
    }
  }

  /** The plan for the file behind {@code channel}; empty as for {@link #forImageFile}. */
  public static Optional<ElfStripPlan> of(SeekableByteChannel channel) throws IOException {
    try {
      Optional<ElfSections> sections = ElfSections.read(channel);
      if (sections.isEmpty()) {
        return Optional.empty();
      }
      byte[] header = new byte[sections.get().headerSize()];
      ByteBuffer buffer = ByteBuffer.wrap(header);
      channel.position(0);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          return Optional.empty();
        }
      }
      return of(sections.get(), header);
    } catch (ElfFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The plan for a file whose sections are {@code elf} and whose first bytes (the ELF header)
   * are {@code header}; empty when nothing can safely be removed.
   */
  public static Optional<ElfStripPlan> of(ElfSections elf, byte[] header) {
    List<Section> sections = elf.sections();
    int count = sections.size();
    boolean programOrLibrary = elf.objectType() == ElfSections.ET_EXEC || elf.objectType() == ElfSections.ET_DYN;
    if (!programOrLibrary || count == 0
        || elf.stringTableIndex() == ElfSections.SHN_XINDEX || elf.stringTableIndex() >= count
        || header.length != elf.headerSize()) {
      return Optional.empty();
    }
    boolean[] remove = removable(elf);
    int lastAlloc = 0;
    int firstRemoved = -1;
    List<String> removedNames = new ArrayList<>();
    for (Section s : sections) {
      if (s.isAlloc()) {
        lastAlloc = s.index();
      }
      if (remove[s.index()]) {
        firstRemoved = firstRemoved < 0 ? s.index() : firstRemoved;
        removedNames.add(s.name());
      }
    }
    // .dynsym's st_shndx and the allocated sections' sh_link keep their meaning only when
    // no allocated section is renumbered
    if (firstRemoved < 0 || firstRemoved <= lastAlloc) {
      return Optional.empty();
    }
    for (Section s : sections) {
      boolean linkGoes = refersTo(s.link(), remove) && !unlinksStaticSymbols(s, sections);
      if (!remove[s.index()] && (linkGoes || s.infoIsSectionIndex() && refersTo(s.info(), remove))) {
        return Optional.empty();
      }
    }
    long prefixEnd = Long.MAX_VALUE;
    for (Section s : sections) {
      if (remove[s.index()] && s.hasFileBytes()) {
        prefixEnd = Math.min(prefixEnd, s.offset());
      }
    }
    if (prefixEnd == Long.MAX_VALUE || prefixEnd < elf.loadedEnd()) {
      return Optional.empty(); // nothing to save, or the loader reads past the first removed byte
    }
    Optional<Layout> layout = layout(elf, remove, prefixEnd);
    if (layout.isEmpty() || layout.get().outputSize() >= elf.fileSize()) {
      return Optional.empty();
    }
    return Optional.of(new ElfStripPlan(elf.fileSize(), layout.get().outputSize(),
        patchedHeader(elf, header, layout.get()), prefixEnd, layout.get().moves(), layout.get().tableOffset(),
        layout.get().table(), removedNames));
  }

  /** Bytes of the original file. */
  public long originalSize() {
    return originalSize;
  }

  /** Bytes {@link #write} writes. */
  public long outputSize() {
    return outputSize;
  }

  public long savedBytes() {
    return originalSize - outputSize;
  }

  /** Names of the removed sections, in section order. */
  public List<String> removedSections() {
    return removed;
  }

  /**
   * Writes the stripped file, reading {@code original} (the whole original file, from its
   * first byte) forwards once; neither stream is closed.
   *
   * @throws IOException when {@code original} ends early, or either stream fails
   */
  public void write(InputStream original, OutputStream out) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    Forward in = new Forward(original, buffer);
    in.skipTo(header.length);
    out.write(header);
    long written = header.length;
    in.copy(prefixEnd - header.length, out);
    written += prefixEnd - header.length;
    for (Move move : moves) {
      written = zeros(out, move.to() - written, buffer, written);
      in.skipTo(move.from());
      in.copy(move.size(), out);
      written += move.size();
    }
    written = zeros(out, tableOffset - written, buffer, written);
    out.write(table);
    written += table.length;
    if (written != outputSize) {
      throw new IllegalStateException("wrote " + written + " bytes of a " + outputSize + "-byte stripped file");
    }
  }

  @Override
  public String toString() {
    return "strip " + removed + ": " + originalSize + " -> " + outputSize + " bytes";
  }

  /** The sections to remove: debug information and the static symbol table with its strings. */
  private static boolean[] removable(ElfSections elf) {
    List<Section> sections = elf.sections();
    boolean[] remove = new boolean[sections.size()];
    for (Section s : sections) {
      if (s.index() == 0 || s.isAlloc() || s.index() == elf.stringTableIndex()) {
        continue;
      }
      String name = s.name();
      if (name.startsWith(".debug_") || name.startsWith(".zdebug_") || s.type() == ElfSections.SHT_SYMTAB) {
        remove[s.index()] = true;
      }
    }
    for (Section s : sections) {
      int link = (int) Math.min(s.link(), Integer.MAX_VALUE);
      boolean linksRemovedSymtab = link > 0 && link < sections.size() && remove[link]
          && sections.get(link).type() == ElfSections.SHT_SYMTAB;
      if (s.type() == ElfSections.SHT_SYMTAB && remove[s.index()] && link > 0 && link < sections.size()) {
        // the static symbols' strings: never .dynstr (allocated) nor the section names
        Section strings = sections.get(link);
        if (!strings.isAlloc() && strings.type() == ElfSections.SHT_STRTAB && link != elf.stringTableIndex()) {
          remove[link] = true;
        }
      } else if (s.type() == ElfSections.SHT_SYMTAB_SHNDX && !s.isAlloc() && linksRemovedSymtab) {
        remove[s.index()] = true;
      }
    }
    // a string table some kept section still uses (besides the removed .symtab) stays
    for (Section s : sections) {
      int link = (int) Math.min(s.link(), Integer.MAX_VALUE);
      if (!remove[s.index()] && link > 0 && link < sections.size() && remove[link]
          && sections.get(link).type() == ElfSections.SHT_STRTAB) {
        remove[link] = false;
      }
    }
    return remove;
  }

  /**
   * Whether {@code s} is the allocated relocation table of a static program that names the
   * static symbol table as its symbols (glibc's IRELATIVE relocations in .rela.plt). Its
   * relocations name no symbol and the startup code finds them by address, so its sh_link
   * becomes 0 when .symtab goes, as binutils' strip does.
   */
  private static boolean unlinksStaticSymbols(Section s, List<Section> sections) {
    return s.isAlloc() && (s.type() == ElfSections.SHT_REL || s.type() == ElfSections.SHT_RELA)
        && s.link() > 0 && s.link() < sections.size() && sections.get((int) s.link()).type() == ElfSections.SHT_SYMTAB;
  }

  private static boolean refersTo(long index, boolean[] remove) {
    return index > 0 && index < remove.length && remove[(int) index];
  }

  /**
   * Where each kept section goes and the new section header table.
   *
   * @param table the new section header table, in the file's byte order
   */
  private record Layout(List<Move> moves, long tableOffset, byte[] table, int keptCount, int stringTableIndex,
      long outputSize) {}

  /** One stretch of the original after {@code prefixEnd}: a section or the old section header table. */
  private record Region(long offset, long end, long alignment, Section section) {}

  private static Optional<Layout> layout(ElfSections elf, boolean[] remove, long prefixEnd) {
    List<Section> sections = elf.sections();
    int entrySize = elf.sectionHeaderSize();
    long tableAlignment = elf.is64() ? 8 : 4;
    List<Region> tail = new ArrayList<>();
    for (Section s : sections) {
      if (s.index() == 0 || !s.hasFileBytes()) {
        continue;
      }
      long end = s.offset() + s.size();
      if (end <= prefixEnd) {
        if (s.isAlloc() || !remove[s.index()]) {
          continue; // stays where it is
        }
        return Optional.empty(); // cannot happen: prefixEnd is the first removed offset
      }
      if (s.offset() < prefixEnd) {
        return Optional.empty(); // straddles the first removed section
      }
      if (s.isAlloc()) {
        return Optional.empty(); // loaded bytes after debug information: not a layout this rewrites
      }
      tail.add(new Region(s.offset(), end, Math.max(1, s.addralign()), s));
    }
    long oldTableEnd = elf.sectionTableOffset() + (long) sections.size() * entrySize;
    if (elf.sectionTableOffset() >= prefixEnd) {
      tail.add(new Region(elf.sectionTableOffset(), oldTableEnd, tableAlignment, null));
    } else if (oldTableEnd > prefixEnd) {
      return Optional.empty();
    }
    tail.sort(Comparator.comparingLong(Region::offset).thenComparingLong(Region::end));
    long covered = prefixEnd;
    for (Region r : tail) {
      // padding before an aligned section is fine; more would be bytes of no section
      if (r.offset() < covered || r.offset() - covered >= r.alignment()) {
        return Optional.empty();
      }
      covered = r.end();
    }
    if (covered != elf.fileSize()) {
      return Optional.empty(); // bytes after the last section: appended data read by offset
    }

    long[] newOffset = new long[sections.size()];
    int[] newIndex = new int[sections.size()];
    int kept = 0;
    for (Section s : sections) {
      newOffset[s.index()] = s.offset();
      newIndex[s.index()] = remove[s.index()] ? -1 : kept++;
    }
    List<Move> moves = new ArrayList<>();
    long position = prefixEnd;
    for (Region r : tail) {
      Section s = r.section();
      if (s == null || remove[s.index()]) {
        continue;
      }
      position = align(position, r.alignment());
      if (position < 0) {
        return Optional.empty();
      }
      moves.add(new Move(s.offset(), position, s.size()));
      newOffset[s.index()] = position;
      position += s.size();
    }
    for (Section s : sections) {
      if (!remove[s.index()] && !s.hasFileBytes() && !s.isAlloc() && s.index() > 0 && s.offset() > prefixEnd) {
        newOffset[s.index()] = align(position, Math.max(1, s.addralign())); // empty: only its offset moves
      }
    }
    long tableOffset = align(position, tableAlignment);
    ByteBuffer table = ByteBuffer.allocate(kept * entrySize).order(elf.identity().byteOrder());
    for (Section s : sections) {
      if (remove[s.index()]) {
        continue;
      }
      long link = unlinksStaticSymbols(s, sections) && remove[(int) s.link()] ? 0 : renumber(s.link(), newIndex);
      long info = s.infoIsSectionIndex() ? renumber(s.info(), newIndex) : s.info();
      if (elf.is64()) {
        table.putInt((int) s.nameOffset()).putInt(s.type()).putLong(s.flags()).putLong(s.address())
            .putLong(newOffset[s.index()]).putLong(s.size()).putInt((int) link).putInt((int) info)
            .putLong(s.addralign()).putLong(s.entsize());
      } else {
        table.putInt((int) s.nameOffset()).putInt(s.type()).putInt((int) s.flags()).putInt((int) s.address())
            .putInt((int) newOffset[s.index()]).putInt((int) s.size()).putInt((int) link).putInt((int) info)
            .putInt((int) s.addralign()).putInt((int) s.entsize());
      }
    }
    long outputSize = tableOffset + table.capacity();
    if (!elf.is64() && outputSize > 0xffffffffL) {
      return Optional.empty();
    }
    return Optional.of(new Layout(moves, tableOffset, table.array(), kept, newIndex[elf.stringTableIndex()],
        outputSize));
  }

  /** An index of a kept section after renumbering; other values (0, reserved, out of range) as they are. */
  private static long renumber(long index, int[] newIndex) {
    return index > 0 && index < newIndex.length && newIndex[(int) index] >= 0 ? newIndex[(int) index] : index;
  }

  private static long align(long position, long alignment) {
    long remainder = Long.remainderUnsigned(position, alignment);
    return remainder == 0 ? position : position + (alignment - remainder);
  }

  private static byte[] patchedHeader(ElfSections elf, byte[] original, Layout layout) {
    ByteBuffer h = ByteBuffer.wrap(original.clone()).order(elf.identity().byteOrder());
    if (elf.is64()) {
      h.putLong(40, layout.tableOffset()).putShort(60, (short) layout.keptCount())
          .putShort(62, (short) layout.stringTableIndex());
    } else {
      h.putInt(32, (int) layout.tableOffset()).putShort(48, (short) layout.keptCount())
          .putShort(50, (short) layout.stringTableIndex());
    }
    return h.array();
  }

  private static long zeros(OutputStream out, long count, byte[] buffer, long written) throws IOException {
    if (count < 0) {
      throw new IllegalStateException("stripped layout goes backwards at byte " + written);
    }
    Arrays.fill(buffer, (byte) 0);
    for (long left = count; left > 0; ) {
      int n = (int) Math.min(buffer.length, left);
      out.write(buffer, 0, n);
      left -= n;
    }
    return written + count;
  }

  /** The original read forwards only: skips and copies, failing when it ends early. */
  private static final class Forward {
    private final InputStream in;
    private final byte[] buffer;
    private long position;

    Forward(InputStream in, byte[] buffer) {
      this.in = in;
      this.buffer = buffer;
    }

    void skipTo(long offset) throws IOException {
      if (offset < position) {
        throw new IllegalStateException("stripped layout reads backwards at byte " + offset);
      }
      while (position < offset) {
        long skipped = in.skip(offset - position);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw ended();
          }
          skipped = 1;
        }
        position += skipped;
      }
    }

    void copy(long count, OutputStream out) throws IOException {
      for (long left = count; left > 0; ) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw ended();
        }
        out.write(buffer, 0, n);
        left -= n;
        position += n;
      }
    }

    private IOException ended() {
      return new IOException("the ELF file ended at byte " + position + ", before its stripped copy was written");
    }
  }
}
