package io.minify.elf;

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
import java.util.TreeSet;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Reads what the dynamic loader needs from an ELF file: PT_INTERP and the DT_NEEDED,
 * DT_RPATH and DT_RUNPATH entries of PT_DYNAMIC (strings located through DT_STRTAB,
 * translated from a virtual address to a file offset with the PT_LOAD segments).
 *
 * <p>Input is untrusted (it comes from an image): every offset is bounds-checked against
 * the file size and every read is capped, so a hostile file costs at most a few MiB and
 * fails with an {@link ElfFormatException}. Stateless and thread-safe.
 */
public final class ElfParser {
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final long DT_NULL = 0;
  private static final long DT_NEEDED = 1;
  private static final long DT_STRTAB = 5;
  private static final long DT_STRSZ = 10;
  private static final long DT_RPATH = 15;
  private static final long DT_RUNPATH = 29;

  private static final int MAX_PROGRAM_HEADERS = 4096;
  private static final int MAX_PROGRAM_HEADER_SIZE = 256;
  private static final int MAX_INTERP_BYTES = 4096;
  private static final long MAX_DYNAMIC_BYTES = 1L << 20;
  private static final int MAX_STRING_BYTES = 4096;
  private static final long MAX_STRING_BLOCK_BYTES = 8L << 20;

  /** Parses an in-memory file; empty when it is not ELF. */
  public Optional<ElfInfo> parse(byte[] file) throws ElfFormatException {
    try {
      return parse(new SeekableInMemoryByteChannel(file));
    } catch (IOException e) {
      throw new IllegalStateException("in-memory channel failed", e); // cannot happen
    }
  }

  /**
   * Parses a file through a channel (only the headers and the few regions they point to
   * are read); empty when it is not ELF.
   *
   * @throws IOException only when the channel itself fails
   */
  public Optional<ElfInfo> parse(SeekableByteChannel channel) throws IOException, ElfFormatException {
    BoundedReader reader = new BoundedReader(channel, channel.size());
    if (reader.size() < 4) {
      return Optional.empty();
    }
    ByteBuffer magic = reader.read(0, 4, ByteOrder.BIG_ENDIAN, "ELF magic");
    if (magic.getInt() != 0x7f454c46) {
      return Optional.empty();
    }
    if (reader.size() < 16) {
      throw new ElfFormatException("truncated ELF identification (" + reader.size() + " bytes)");
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
    ByteBuffer header = reader.read(0, is64 ? 64 : 52, order, "ELF header");
    int machine = Short.toUnsignedInt(header.getShort(18));
    long phoff = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
    int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
    int phnum = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
    ElfIdentity identity = new ElfIdentity(elfClass, order, machine);

    if (phnum == 0) {
      return Optional.of(new ElfInfo(null, List.of(), List.of(), List.of(), identity)); // relocatable object
    }
    int minEntrySize = is64 ? 56 : 32;
    if (phentsize < minEntrySize || phentsize > MAX_PROGRAM_HEADER_SIZE) {
      throw new ElfFormatException("invalid program header entry size " + phentsize);
    }
    if (phnum > MAX_PROGRAM_HEADERS) {
      throw new ElfFormatException("too many program headers (" + phnum + ")");
    }
    ByteBuffer table = reader.read(phoff, (long) phnum * phentsize, order, "program header table");
    List<Segment> loads = new ArrayList<>();
    Segment interp = null;
    Segment dynamic = null;
    for (int i = 0; i < phnum; i++) {
      int base = i * phentsize;
      int type = table.getInt(base);
      Segment segment = is64
          ? new Segment(table.getLong(base + 8), table.getLong(base + 16), table.getLong(base + 32))
          : new Segment(u32(table, base + 4), u32(table, base + 8), u32(table, base + 16));
      if (type == PT_LOAD) {
        loads.add(segment);
      } else if (type == PT_INTERP && interp == null) {
        interp = segment;
      } else if (type == PT_DYNAMIC && dynamic == null) {
        dynamic = segment;
      }
    }

    String interpreter = null;
    if (interp != null) {
      if (interp.fileSize() > MAX_INTERP_BYTES) {
        throw new ElfFormatException("PT_INTERP is larger than " + MAX_INTERP_BYTES + " bytes");
      }
      ByteBuffer bytes = reader.read(interp.offset(), interp.fileSize(), order, "PT_INTERP");
      interpreter = cString(bytes.array(), 0, bytes.array().length);
    }
    if (dynamic == null) {
      return Optional.of(new ElfInfo(interpreter, List.of(), List.of(), List.of(), identity));
    }
    return Optional.of(readDynamic(reader, order, is64, dynamic, loads, interpreter, identity));
  }

  private ElfInfo readDynamic(BoundedReader reader, ByteOrder order, boolean is64, Segment dynamic, List<Segment> loads,
      String interpreter, ElfIdentity identity) throws IOException, ElfFormatException {
    long dynamicBytes = Math.min(dynamic.fileSize(),
        reader.size() - Math.max(0, Math.min(dynamic.offset(), reader.size())));
    if (dynamic.fileSize() < 0 || dynamic.fileSize() > MAX_DYNAMIC_BYTES) {
      throw new ElfFormatException("PT_DYNAMIC is larger than " + MAX_DYNAMIC_BYTES + " bytes");
    }
    int entrySize = is64 ? 16 : 8;
    ByteBuffer table = reader.read(dynamic.offset(), dynamicBytes - dynamicBytes % entrySize, order, "PT_DYNAMIC");
    List<Long> neededOffsets = new ArrayList<>();
    List<Long> rpathOffsets = new ArrayList<>();
    List<Long> runpathOffsets = new ArrayList<>();
    long strtabAddress = -1;
    long strtabSize = -1;
    for (int base = 0; base + entrySize <= table.limit(); base += entrySize) {
      long tag = is64 ? table.getLong(base) : table.getInt(base);
      long value = is64 ? table.getLong(base + 8) : u32(table, base + 4);
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_NEEDED) {
        neededOffsets.add(value);
      } else if (tag == DT_RPATH) {
        rpathOffsets.add(value);
      } else if (tag == DT_RUNPATH) {
        runpathOffsets.add(value);
      } else if (tag == DT_STRTAB) {
        strtabAddress = value;
      } else if (tag == DT_STRSZ) {
        strtabSize = value;
      }
    }
    if (neededOffsets.isEmpty() && rpathOffsets.isEmpty() && runpathOffsets.isEmpty()) {
      return new ElfInfo(interpreter, List.of(), List.of(), List.of(), identity);
    }
    if (strtabAddress == -1) {
      throw new ElfFormatException("PT_DYNAMIC has DT_NEEDED/DT_RPATH/DT_RUNPATH but no DT_STRTAB");
    }
    long strtabOffset = fileOffsetOf(strtabAddress, loads);
    StringTable strings = new StringTable(reader, strtabOffset, strtabSize, neededOffsets, rpathOffsets, runpathOffsets);
    List<String> needed = new ArrayList<>();
    for (long offset : neededOffsets) {
      needed.add(strings.at(offset));
    }
    return new ElfInfo(interpreter, needed, searchPath(strings, rpathOffsets), searchPath(strings, runpathOffsets),
        identity);
  }

  /** DT_RPATH/DT_RUNPATH values split on ':'; empty entries (meaning the cwd) are dropped. */
  private static List<String> searchPath(StringTable strings, List<Long> offsets) throws IOException, ElfFormatException {
    List<String> dirs = new ArrayList<>();
    for (long offset : offsets) {
      for (String dir : strings.at(offset).split(":")) {
        if (!dir.isEmpty()) {
          dirs.add(dir);
        }
      }
    }
    return dirs;
  }

  private static long fileOffsetOf(long address, List<Segment> loads) throws ElfFormatException {
    for (Segment load : loads) {
      long delta = address - load.address();
      if (Long.compareUnsigned(address, load.address()) >= 0 && Long.compareUnsigned(delta, load.fileSize()) < 0) {
        return load.offset() + delta;
      }
    }
    throw new ElfFormatException("DT_STRTAB address 0x" + Long.toHexString(address) + " is outside every PT_LOAD segment");
  }


  private static String cString(byte[] bytes, int from, int limit) {
    int end = from;
    while (end < limit && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /** A program header's file range and load address (p_offset, p_vaddr, p_filesz). */
  private record Segment(long offset, long address, long fileSize) {}

  /**
   * The strings of DT_STRTAB that the dynamic entries refer to. Usually they sit close
   * together, so one bounded block is read; a file spreading them further apart gets one
   * read per string.
   */
  private static final class StringTable {
    private final BoundedReader reader;
    private final long tableOffset;
    private final long tableSize;
    private final long blockStart;
    private final byte[] block;

    StringTable(BoundedReader reader, long tableOffset, long tableSize, List<Long> a, List<Long> b, List<Long> c)
        throws IOException, ElfFormatException {
      this.reader = reader;
      this.tableOffset = tableOffset;
      this.tableSize = tableSize;
      TreeSet<Long> offsets = new TreeSet<>(Long::compareUnsigned);
      offsets.addAll(a);
      offsets.addAll(b);
      offsets.addAll(c);
      for (long offset : offsets) {
        checkInTable(offset);
      }
      long first = offsets.first();
      long end = Math.min(reader.size(), tableOffset + offsets.last() + MAX_STRING_BYTES);
      if (tableSize >= 0) {
        end = Math.min(end, tableOffset + tableSize);
      }
      long start = tableOffset + first;
      if (end - start <= MAX_STRING_BLOCK_BYTES) {
        blockStart = start;
        block = reader.read(start, end - start, ByteOrder.LITTLE_ENDIAN, "DT_STRTAB").array();
      } else {
        blockStart = -1;
        block = null;
      }
    }

    String at(long offset) throws IOException, ElfFormatException {
      byte[] bytes;
      int from;
      if (block != null) {
        bytes = block;
        from = (int) (tableOffset + offset - blockStart);
      } else {
        long start = tableOffset + offset;
        bytes = reader.read(start, Math.min(MAX_STRING_BYTES, reader.size() - start), ByteOrder.LITTLE_ENDIAN,
            "DT_STRTAB string").array();
        from = 0;
      }
      int limit = Math.min(bytes.length, from + MAX_STRING_BYTES);
      int end = from;
      while (end < limit && bytes[end] != 0) {
        end++;
      }
      if (end == limit) {
        throw new ElfFormatException("unterminated or over-long string at DT_STRTAB offset " + offset);
      }
      return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    private void checkInTable(long offset) throws ElfFormatException {
      boolean outsideTable = tableSize >= 0 && Long.compareUnsigned(offset, tableSize) >= 0;
      boolean outsideFile = offset < 0 || tableOffset + offset >= reader.size() || tableOffset + offset < 0;
      if (outsideTable || outsideFile) {
        throw new ElfFormatException("string offset " + Long.toUnsignedString(offset) + " lies outside DT_STRTAB");
      }
    }
  }
}
