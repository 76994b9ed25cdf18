package io.minify.elf;

import io.minify.elf.ElfIdentity.ElfClass;
import io.minify.fuzz.Fuzzer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Executables are image bytes: {@link ElfParser} says what they need or throws an {@link ElfFormatException}. */
class ElfParserFuzzTest {

  @Test
  void elfFiles() {
    ElfParser parser = new ElfParser();
    Fuzzer.ofBytes("ElfParser")
        .seeds(SyntheticElf.x86_64().interpreter("/lib64/ld-linux-x86-64.so.2").needs("libc.so.6", "libm.so.6")
                .rpath("$ORIGIN/../lib").build(),
            SyntheticElf.of(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN, 3).interpreter("/lib/ld-linux.so.2")
                .needs("libc.so.6").runpath("/opt/lib").build(),
            SyntheticElf.of(ElfClass.ELF64, ByteOrder.BIG_ENDIAN, 22).needs("libz.so.1").build(),
            SyntheticElf.of(ElfClass.ELF32, ByteOrder.BIG_ENDIAN, 8).build(),
            new byte[] {0x7f, 'E', 'L', 'F'}, "#!/bin/sh\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .allowing(ElfFormatException.class)
        .run(parser::parse);
  }
}
