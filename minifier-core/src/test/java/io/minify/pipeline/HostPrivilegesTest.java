package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPrivilegesTest {

  @Test
  void readsCapSysAdminFromTheEffectiveSet(@TempDir Path dir) throws IOException {
    Path root = Files.writeString(dir.resolve("root"), "Name:\tjava\nCapEff:\t000001ffffffffff\n");
    Path user = Files.writeString(dir.resolve("user"), "Name:\tjava\nCapEff:\t0000000000000000\n");
    Path onlyAdmin = Files.writeString(dir.resolve("admin"), "CapEff:\t0000000000200000\n");
    assertTrue(HostPrivileges.hasSysAdmin(root));
    assertFalse(HostPrivileges.hasSysAdmin(user));
    assertTrue(HostPrivileges.hasSysAdmin(onlyAdmin));
    assertFalse(HostPrivileges.hasSysAdmin(dir.resolve("missing")));
  }
}
