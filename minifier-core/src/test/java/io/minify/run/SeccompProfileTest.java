package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.sensor.syscall.Architecture;
import io.minify.sensor.syscall.SyscallRecording;
import io.minify.sensor.syscall.SyscallTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {

  private static final SyscallTable X86_64 = SyscallTable.of(Architecture.X86_64);

  /** read, write, epoll_wait, accept4, and read again by its x32 number. */
  private static final SyscallRecording NGINX_LIKE = new SyscallRecording(
      new TreeSet<>(List.of(0L, 1L, 232L, 288L, 0x40000000L)), 0);

  @Test
  void theProfileIsDockersFormatByteForByte() throws IOException {
    SeccompProfile profile = SeccompProfile.of(NGINX_LIKE, X86_64);
    assertEquals(golden("x86_64.json"), new String(profile.toJson(), StandardCharsets.UTF_8));
    assertEquals(new TreeSet<>(List.of("accept4", "epoll_wait", "read", "write")), profile.observed());
  }

  @Test
  void itAllowsWhatTheRuntimeNeedsAfterItsFilter() {
    SeccompProfile profile = SeccompProfile.of(NGINX_LIKE, X86_64);
    assertTrue(profile.allowed().containsAll(SeccompProfile.RUNTIME_AFTER_FILTER));
    assertTrue(profile.allowed().contains("execve"));
    // every runtime name is a name of both tables: libseccomp would not know another
    for (Architecture arch : Architecture.values()) {
      assertTrue(SyscallTable.of(arch).all().values().containsAll(SeccompProfile.RUNTIME_AFTER_FILTER), arch.name());
    }
  }

  @Test
  void aarch64ListsItsOwnArchitectures() {
    SeccompProfile profile = SeccompProfile.of(new SyscallRecording(new TreeSet<>(List.of(63L, 242L)), 0),
        SyscallTable.of(Architecture.AARCH64));
    String json = new String(profile.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"architectures\" : [ \"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\" ]"), json);
    assertEquals(new TreeSet<>(List.of("accept4", "read")), profile.observed());
  }

  @Test
  void aTraceThatLostEventsMakesNoProfile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SeccompProfile.of(new SyscallRecording(new TreeSet<>(List.of(0L)), 3), X86_64));
    assertEquals("the kernel's trace buffer dropped 3 syscall events, so the recorded set may lack a syscall the app"
        + " needs", e.getMessage());
  }

  @Test
  void aNumberWithoutANameMakesNoProfile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SeccompProfile.of(new SyscallRecording(new TreeSet<>(List.of(0L, 100000L)), 0), X86_64));
    assertTrue(e.getMessage().startsWith("the app made syscall number [100000], which the x86_64 syscall table does"
        + " not name"), e.getMessage());
  }

  @Test
  void withoutRemovesOneSyscallAndTheSecurityOptionCarriesTheJson() {
    SeccompProfile profile = SeccompProfile.of(NGINX_LIKE, X86_64).without("accept4");
    assertFalse(profile.allowed().contains("accept4"));
    assertTrue(profile.securityOption().startsWith("seccomp={"));
    assertEquals(new String(profile.toJson(), StandardCharsets.UTF_8), profile.securityOption().substring(8));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = SeccompProfileTest.class.getResourceAsStream("/seccomp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theProfileOfSeveralRunsAllowsWhatAnyOfThemMade() {
    SeccompProfile web = new SeccompProfile(Architecture.X86_64, new TreeSet<>(List.of("accept4", "read")),
        new TreeSet<>(List.of("execve")));
    SeccompProfile worker = new SeccompProfile(Architecture.X86_64, new TreeSet<>(List.of("read", "unlink")),
        new TreeSet<>(List.of("execve", "setuid")));
    SeccompProfile both = web.union(worker);
    assertEquals(new TreeSet<>(List.of("accept4", "read", "unlink")), both.observed());
    assertEquals(new TreeSet<>(List.of("accept4", "execve", "read", "setuid", "unlink")), both.allowed());
    assertEquals(both, worker.union(web), "the order of the runs does not matter");
    assertThrows(IllegalArgumentException.class, () -> web.union(new SeccompProfile(Architecture.AARCH64,
        new TreeSet<>(List.of("read")), new TreeSet<>())));
  }
}
