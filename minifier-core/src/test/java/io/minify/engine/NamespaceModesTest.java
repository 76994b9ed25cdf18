package io.minify.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which namespaces a container joins to be in another's, for each mode the other was created with. */
class NamespaceModesTest {
  private static final String ID = "4f".repeat(32);

  private static NamespaceModes joining(String pid, String network, String ipc) {
    return NamespaceModes.joining(new ContainerInfo(ID, "app", "app:1", "sha256:" + "0".repeat(64), true,
        new NamespaceModes(pid, network, ipc)));
  }

  @Test
  void aPlainContainerIsJoinedButItsPrivateIpcIsNot() {
    // Docker 20.10 and 29 both create containers with a private IPC namespace unless told otherwise
    NamespaceModes modes = joining("", "bridge", "private");
    assertEquals(new NamespaceModes("container:" + ID, "container:" + ID, null), modes);
    assertFalse(modes.ipcShared());
  }

  @Test
  void aShareableIpcIsJoined() {
    NamespaceModes modes = joining("", "default", "shareable");
    assertEquals("container:" + ID, modes.ipc());
    assertTrue(modes.ipcShared());
  }

  @Test
  void aTargetInAnotherContainersOrTheHostsNamespacesIsJoinedThere() {
    // the engine refuses a chain of container: modes; the namespace is the same one
    assertEquals(new NamespaceModes("host", "container:abc", "container:abc"),
        joining("host", "container:abc", "container:abc"));
    assertEquals(new NamespaceModes("container:def", "host", "host"), joining("container:def", "host", "host"));
  }

  @Test
  void aUserNetworkOrNoneIsTheTargetsOwnNamespace() {
    assertEquals("container:" + ID, joining(null, "my-net", null).network());
    assertEquals("container:" + ID, joining(null, "none", "none").network());
    assertFalse(joining(null, "none", "none").ipcShared(), "ipc none has nothing to share");
    assertFalse(joining(null, null, null).ipcShared());
  }
}
