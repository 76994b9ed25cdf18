package io.minify.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minify.elf.ElfSections.Section;
import io.minify.image.FileEntry;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stripping real gcc output (fixtures in src/test/resources/elf, rebuilt by its
 * build-fixtures.sh): a PIE program, the shared object it needs, the program stripped by
 * binutils, one with an allocated section numbered after its debug sections, and an ELF32
 * copy; big-endian files are made from them by swapping their headers.
 */
class ElfStripPlanTest {
  private static final List<String> HELLO_REMOVED = List.of(".debug_aranges", ".debug_info", ".debug_abbrev",
      ".debug_line", ".debug_str", ".debug_line_str", ".symtab", ".strtab");

  @TempDir
  Path tmp;

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ElfStripPlanTest.class.getResourceAsStream("/elf/" + name)) {
      if (in == null) {
        throw new IOException("no fixture elf/" + name);
      }
      return in.readAllBytes();
    }
  }

  static Optional<ElfStripPlan> plan(byte[] file) throws IOException {
    return ElfStripPlan.of(new SeekableInMemoryByteChannel(file));
  }

  static byte[] strip(byte[] file) throws IOException {
    ElfStripPlan plan = plan(file).orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    plan.write(new ByteArrayInputStream(file), out);
    assertEquals(plan.outputSize(), out.size());
    return out.toByteArray();
  }

  static ElfSections sections(byte[] file) throws Exception {
    return ElfSections.read(new SeekableInMemoryByteChannel(file)).orElseThrow();
  }

  private static Map<String, Section> byName(ElfSections elf) {
    Map<String, Section> named = new HashMap<>();
    elf.sections().forEach(s -> named.put(s.name(), s));
    return named;
  }

  private static byte[] bytesOf(byte[] file, Section s) {
    return s.hasFileBytes() ? Arrays.copyOfRange(file, (int) s.offset(), (int) (s.offset() + s.size())) : new byte[0];
  }

  /**
   * What must hold for any stripped file: no debug section or static symbol table left,
   * every kept section with the same header (but its offset and renumbered links) and the
   * same bytes, the loaded part of the file unchanged, the dynamic linking data unchanged.
   */
  private static void assertStrippedFrom(byte[] original, byte[] stripped) throws Exception {
    ElfSections before = sections(original);
    ElfSections after = sections(stripped);
    assertEquals(before.identity(), after.identity());
    assertEquals(before.objectType(), after.objectType());
    for (Section s : after.sections()) {
      assertFalse(s.name().startsWith(".debug_") || s.name().startsWith(".zdebug_"), s.name());
      assertFalse(s.type() == ElfSections.SHT_SYMTAB, s.name());
      assertFalse(s.name().equals(".strtab"), s.name());
    }
    Map<String, Section> old = byName(before);
    Map<String, Section> kept = byName(after);
    assertEquals(".shstrtab", after.sections().get(after.stringTableIndex()).name());
    for (Section s : after.sections()) {
      Section o = old.get(s.name());
      assertEquals(o.type(), s.type(), s.name());
      assertEquals(o.flags(), s.flags(), s.name());
      assertEquals(o.address(), s.address(), s.name());
      assertEquals(o.size(), s.size(), s.name());
      assertEquals(o.addralign(), s.addralign(), s.name());
      assertArrayEquals(bytesOf(original, o), bytesOf(stripped, s), s.name());
      if (s.addralign() > 1 && s.hasFileBytes()) {
        assertEquals(0, s.offset() % s.addralign(), s.name() + " aligned");
      }
      if (o.link() != 0) {
        assertEquals(before.sections().get((int) o.link()).name(), after.sections().get((int) s.link()).name(),
            s.name() + " sh_link");
      }
      if (o.infoIsSectionIndex() && o.info() != 0) {
        assertEquals(before.sections().get((int) o.info()).name(), after.sections().get((int) s.info()).name(),
            s.name() + " sh_info");
      }
      if (s.isAlloc()) {
        assertEquals(o.index(), s.index(), s.name() + " keeps its index");
        assertEquals(o.offset(), s.offset(), s.name() + " stays where the loader reads it");
      }
    }
    assertEquals(old.get(".dynsym").size(), kept.get(".dynsym").size(), "every dynamic symbol stays");
    assertEquals(before.loadedEnd(), after.loadedEnd());
    int headerSize = before.headerSize();
    assertArrayEquals(Arrays.copyOfRange(original, headerSize, (int) before.loadedEnd()),
        Arrays.copyOfRange(stripped, headerSize, (int) before.loadedEnd()), "the loaded bytes are unchanged");
    assertEquals(dynamicOf(original), dynamicOf(stripped), "PT_INTERP, DT_NEEDED, DT_RUNPATH");
  }

  /** What the loader reads, or why it cannot be read (objcopy's ELF32 copy keeps 64-bit dynamic entries). */
  private static String dynamicOf(byte[] file) {
    try {
      return new ElfParser().parse(file).toString();
    } catch (ElfFormatException e) {
      return "malformed: " + e.getMessage();
    }
  }

  @Test
  void stripsAProgramOfItsDebugInformationAndStaticSymbols() throws Exception {
    byte[] hello = fixture("hello");
    ElfStripPlan plan = plan(hello).orElseThrow();
    assertEquals(HELLO_REMOVED, plan.removedSections());
    byte[] stripped = strip(hello);
    assertEquals(hello.length, plan.originalSize());
    assertTrue(stripped.length < hello.length - 2000, stripped.length + " of " + hello.length);
    assertEquals(hello.length - stripped.length, plan.savedBytes());
    assertStrippedFrom(hello, stripped);
    ElfInfo info = new ElfParser().parse(stripped).orElseThrow();
    assertEquals(List.of("libgreet.so", "libc.so.6"), info.needed());
    assertEquals(List.of("$ORIGIN"), info.runpath());
    // what is not debug information stays: the compiler's note, the section names
    assertTrue(byName(sections(stripped)).containsKey(".comment"));
  }

  @Test
  void stripsASharedObject() throws Exception {
    byte[] lib = fixture("libgreet.so");
    byte[] stripped = strip(lib);
    assertTrue(stripped.length < lib.length, stripped.length + " of " + lib.length);
    assertStrippedFrom(lib, stripped);
    assertTrue(plan(lib).orElseThrow().removedSections().containsAll(List.of(".debug_info", ".symtab", ".strtab")));
  }

  @Test
  void stripsAnElf32File() throws Exception {
    byte[] x32 = fixture("hello-x32");
    assertEquals(ElfIdentity.ElfClass.ELF32, sections(x32).identity().elfClass());
    byte[] stripped = strip(x32);
    assertTrue(stripped.length < x32.length - 2000, stripped.length + " of " + x32.length);
    assertStrippedFrom(x32, stripped);
  }

  @Test
  void stripsBigEndianFilesTheSameWay() throws Exception {
    for (String name : List.of("hello", "hello-x32", "libgreet.so")) {
      byte[] little = fixture(name);
      byte[] big = BigEndian.of(little);
      assertEquals(ByteOrder.BIG_ENDIAN, sections(big).identity().byteOrder(), name);
      byte[] stripped = strip(big);
      assertStrippedFrom(big, stripped);
      assertArrayEquals(BigEndian.of(strip(little)), stripped, name);
    }
  }

  @Test
  void strippedProgramAndLibraryStillRun() throws Exception {
    assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the fixtures are x86-64 Linux programs");
    Path program = Files.write(tmp.resolve("hello"), strip(fixture("hello")));
    Files.write(tmp.resolve("libgreet.so"), strip(fixture("libgreet.so")));
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process run = new ProcessBuilder(program.toString(), "stripped").redirectErrorStream(true).start();
    assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the stripped program ended");
    assertEquals("hello stripped\n", new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(0, run.exitValue());
  }

  @Test
  void anAlreadyStrippedFileHasNoPlan() throws Exception {
    assertEquals(Optional.empty(), plan(fixture("hello-stripped")));
  }

  @Test
  void anAllocatedSectionNumberedAfterTheDebugSectionsMeansNoPlan() throws Exception {
    byte[] late = fixture("hello-alloc-late");
    assertTrue(byName(sections(late)).get(".late").isAlloc());
    assertEquals(Optional.empty(), plan(late));
  }

  @Test
  void dataAppendedAfterTheLastSectionMeansNoPlan() throws Exception {
    byte[] hello = fixture("hello");
    byte[] appended = Arrays.copyOf(hello, hello.length + 100);
    Arrays.fill(appended, hello.length, appended.length, (byte) 'Z');
    assertEquals(Optional.empty(), plan(appended));
  }

  @Test
  void relocatableObjectsAndExtendedNumberingHaveNoPlan() throws Exception {
    byte[] relocatable = fixture("hello");
    ByteBuffer.wrap(relocatable).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) ElfSections.ET_REL);
    assertEquals(Optional.empty(), plan(relocatable));
    byte[] extended = fixture("hello");
    ByteBuffer.wrap(extended).order(ByteOrder.LITTLE_ENDIAN).putShort(60, (short) 0);
    assertEquals(Optional.empty(), plan(extended));
    byte[] xindex = fixture("hello");
    ByteBuffer.wrap(xindex).order(ByteOrder.LITTLE_ENDIAN).putShort(62, (short) ElfSections.SHN_XINDEX);
    assertEquals(Optional.empty(), plan(xindex));
  }

  @Test
  void aLoadSegmentReachingIntoTheDebugSectionsMeansNoPlan() throws Exception {
    byte[] hello = fixture("hello");
    ElfSections elf = sections(hello);
    ByteBuffer h = ByteBuffer.wrap(hello).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = h.getLong(32);
    int phnum = h.getShort(56);
    for (int i = 0; i < phnum; i++) {
      int base = (int) phoff + i * 56;
      if (h.getInt(base) == 1) { // PT_LOAD: make every one cover the whole file
        h.putLong(base + 8, 0).putLong(base + 32, elf.fileSize());
      }
    }
    assertEquals(Optional.empty(), plan(hello));
  }

  /** Sets sh_link of the section named {@code name} of the (64-bit LE) {@code file}. */
  private static void setLink(byte[] file, String name, int link) throws Exception {
    ElfSections elf = sections(file);
    Section s = byName(elf).get(name);
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) elf.sectionTableOffset() + s.index() * 64 + 40, link);
  }

  @Test
  void aStaticProgramsRelocationsLinkingTheSymbolTableAreUnlinkedAsStripDoes() throws Exception {
    // gcc -static: .rela.plt (glibc's IRELATIVE relocations) names .symtab as its symbols
    byte[] hello = fixture("hello");
    setLink(hello, ".rela.plt", byName(sections(hello)).get(".symtab").index());
    byte[] stripped = strip(hello);
    assertEquals(0, byName(sections(stripped)).get(".rela.plt").link());
    assertEquals(byName(sections(hello)).get(".rela.plt").info(), byName(sections(stripped)).get(".rela.plt").info());
  }

  @Test
  void aKeptSectionLinkingARemovedOneMeansNoPlan() throws Exception {
    byte[] hello = fixture("hello");
    setLink(hello, ".comment", byName(sections(hello)).get(".debug_info").index());
    assertEquals(Optional.empty(), plan(hello));
    // .strtab stays when a kept section uses it: then only the rest goes
    byte[] shared = fixture("hello");
    setLink(shared, ".comment", byName(sections(shared)).get(".strtab").index());
    ElfStripPlan plan = plan(shared).orElseThrow();
    assertFalse(plan.removedSections().contains(".strtab"), plan.toString());
    byte[] stripped = strip(shared);
    Map<String, Section> kept = byName(sections(stripped));
    assertEquals(kept.get(".strtab").index(), kept.get(".comment").link(), "the link follows .strtab's new index");
  }

  @Test
  void nonElfAndMalformedFilesHaveNoPlanAndNeverFail() throws Exception {
    assertEquals(Optional.empty(), plan("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Optional.empty(), plan(new byte[0]));
    byte[] hello = fixture("hello");
    for (int length = 0; length < hello.length; length += 97) {
      assertEquals(Optional.empty(), plan(Arrays.copyOf(hello, length)), "truncated to " + length);
    }
    int shoff = (int) sections(hello).sectionTableOffset();
    int headersEnd = 64 + 56 * ByteBuffer.wrap(hello).order(ByteOrder.LITTLE_ENDIAN).getShort(56);
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      byte[] mangled = hello.clone();
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        // the headers: the ELF header, the program headers, the section header table
        int at = random.nextBoolean() ? random.nextInt(headersEnd) : shoff + random.nextInt(hello.length - shoff);
        mangled[at] = (byte) random.nextInt(256);
      }
      Optional<ElfStripPlan> plan = plan(mangled);
      if (plan.isPresent()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plan.get().write(new ByteArrayInputStream(mangled), out);
        assertEquals(plan.get().outputSize(), out.size(), "round " + round);
        assertTrue(out.size() < mangled.length, "round " + round);
      }
    }
  }

  @Test
  void writingFromAnOriginalThatEndsEarlyFails() throws Exception {
    byte[] hello = fixture("hello");
    ElfStripPlan plan = plan(hello).orElseThrow();
    IOException e = assertThrows(IOException.class, () -> plan.write(
        new ByteArrayInputStream(Arrays.copyOf(hello, 5000)), new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains("ended at byte 5000"), e.getMessage());
  }

  @Test
  void plansAnImageFileThroughItsLayers() throws Exception {
    byte[] hello = fixture("hello");
    Path layer = new TestLayer().dir("app").file("app/hello", hello, 0755, Map.of())
        .file("app/notes.txt", "not ELF").writeTo(tmp.resolve("layer.tar"));
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(List.of(layer))) {
      FileEntry program = fs.entry(UnixPath.of("/app/hello")).orElseThrow();
      ElfStripPlan plan = ElfStripPlan.forImageFile(fs, program).orElseThrow();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = fs.open(program)) {
        plan.write(in, out);
      }
      assertArrayEquals(strip(hello), out.toByteArray());
      assertEquals(Optional.empty(), ElfStripPlan.forImageFile(fs, fs.entry(UnixPath.of("/app/notes.txt")).orElseThrow()));
    }
  }

  /** An ELF file with its headers (ELF header, program and section headers) in big-endian order. */
  static final class BigEndian {
    private static final int[] HEADER64 = {2, 2, 4, 8, 8, 8, 4, 2, 2, 2, 2, 2, 2};
    private static final int[] HEADER32 = {2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2};
    private static final int[] PROGRAM64 = {4, 4, 8, 8, 8, 8, 8, 8};
    private static final int[] PROGRAM32 = {4, 4, 4, 4, 4, 4, 4, 4};
    private static final int[] SECTION64 = {4, 4, 8, 8, 8, 8, 4, 4, 8, 8};
    private static final int[] SECTION32 = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4};

    static byte[] of(byte[] little) {
      byte[] big = little.clone();
      ByteBuffer h = ByteBuffer.wrap(little).order(ByteOrder.LITTLE_ENDIAN);
      boolean is64 = little[4] == 2;
      long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
      long shoff = is64 ? h.getLong(40) : Integer.toUnsignedLong(h.getInt(32));
      int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));
      int shnum = Short.toUnsignedInt(h.getShort(is64 ? 60 : 48));
      big[5] = 2;
      swap(big, 16, is64 ? HEADER64 : HEADER32);
      for (int i = 0; i < phnum; i++) {
        swap(big, (int) phoff + i * (is64 ? 56 : 32), is64 ? PROGRAM64 : PROGRAM32);
      }
      for (int i = 0; i < shnum; i++) {
        swap(big, (int) shoff + i * (is64 ? 64 : 40), is64 ? SECTION64 : SECTION32);
      }
      return big;
    }

    private static void swap(byte[] bytes, int at, int[] widths) {
      for (int width : widths) {
        for (int i = 0; i < width / 2; i++) {
          byte b = bytes[at + i];
          bytes[at + i] = bytes[at + width - 1 - i];
          bytes[at + width - 1 - i] = b;
        }
        at += width;
      }
    }
  }
}
