package io.minify.sensor.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyscallTableTest {

  private static final long X32_BIT = 0x40000000L;

  @Test
  void x86_64NamesTheNumbersOfItsAbi() {
    SyscallTable table = SyscallTable.of(Architecture.X86_64);
    // numbers fixed by the x86_64 ABI for good (the kernel never renumbers a syscall)
    assertEquals(Optional.of("read"), table.name(0));
    assertEquals(Optional.of("execve"), table.name(59));
    assertEquals(Optional.of("epoll_wait"), table.name(232));
    assertEquals(Optional.of("accept4"), table.name(288));
    assertEquals(Optional.of("clone3"), table.name(435));
    // x32 numbers carry the x32 bit; the x32-only variants start at 512
    assertEquals(Optional.of("read"), table.name(X32_BIT));
    assertEquals(Optional.of("rt_sigaction"), table.name(X32_BIT + 512));
    assertTrue(table.name(X32_BIT - 1).isEmpty());
    assertTrue(table.name(-1).isEmpty());
  }

  @Test
  void aarch64HasTheGenericTable() {
    SyscallTable table = SyscallTable.of(Architecture.AARCH64);
    assertEquals(Optional.of("openat"), table.name(56));
    assertEquals(Optional.of("read"), table.name(63));
    assertEquals(Optional.of("accept4"), table.name(242));
    assertEquals(Optional.of("clone3"), table.name(435));
    // arm64 never had the old calls the generic table leaves out
    assertFalse(table.all().containsValue("open"));
    assertFalse(table.all().containsValue("epoll_wait"));
    // markers of the header that are not syscalls are not in the table
    assertFalse(table.all().containsValue("arch_specific_syscall"));
    assertFalse(table.all().containsValue("syscalls"));
  }

  @Test
  void theTablesNameTheSyscallsOfNewerKernels() {
    // added after Linux 6.1 (the first tables' headers), numbered alike on every architecture
    // since 6.x: glibc 2.39 calls fchmodat2 for every fchmodat with flags
    Map<Long, String> since61 = Map.of(451L, "cachestat", 452L, "fchmodat2", 455L, "futex_wait", 458L, "listmount",
        459L, "lsm_get_self_attr", 462L, "mseal", 463L, "setxattrat");
    for (Architecture arch : Architecture.values()) {
      SyscallTable table = SyscallTable.of(arch);
      since61.forEach((nr, name) -> assertEquals(Optional.of(name), table.name(nr), arch + " " + nr));
    }
    assertEquals(Optional.of("fchmodat2"), SyscallTable.of(Architecture.X86_64).name(X32_BIT + 452));
    // arm64 has memfd_secret since 6.x; x86_64 its own shadow stack call
    assertEquals(Optional.of("memfd_secret"), SyscallTable.of(Architecture.AARCH64).name(447));
    assertEquals(Optional.of("map_shadow_stack"), SyscallTable.of(Architecture.X86_64).name(453));
  }

  @Test
  void everyNameIsAKernelName() {
    for (Architecture arch : Architecture.values()) {
      Map<Long, String> all = SyscallTable.of(arch).all();
      assertTrue(all.size() > 250, arch + " has " + all.size());
      all.values().forEach(name -> assertTrue(name.matches("[a-z_][a-z0-9_]*"), arch + ": " + name));
    }
  }

  @Test
  void aMalformedTableIsRefused() throws Exception {
    assertThrows(IllegalStateException.class, () -> SyscallTable.parse(bytes("0 read\n0 write\n"), "t"));
    assertThrows(IllegalStateException.class, () -> SyscallTable.parse(bytes("0 read write\n"), "t"));
    assertThrows(IllegalStateException.class, () -> SyscallTable.parse(bytes("0 Read\n"), "t"));
    assertEquals(Map.of(0L, "read"), SyscallTable.parse(bytes("# comment\n\n0 read\n"), "t"));
  }

  @Test
  void theArchitectureComesFromTheJvmsName() {
    assertEquals(Optional.of(Architecture.X86_64), Architecture.of("amd64"));
    assertEquals(Optional.of(Architecture.X86_64), Architecture.of("x86_64"));
    assertEquals(Optional.of(Architecture.AARCH64), Architecture.of("aarch64"));
    assertTrue(Architecture.of("s390x").isEmpty());
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }
}
