package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The runtime's words for a command it could not exec, as the engines send them, and no others. */
class UnrunnableCommandTest {

  private static String reason(String said) {
    Matcher m = DockerContainerStreams.UNRUNNABLE.matcher(said);
    return m.find() ? m.group() : null;
  }

  @Test
  void runcNotFoundNoSuchFileAndPermissionDenied() {
    // Docker 20.10
    assertEquals("exec: \"sh\": executable file not found in $PATH", reason("failed to create shim task: OCI runtime"
        + " create failed: runc create failed: unable to start container process: exec: \"sh\": executable file not"
        + " found in $PATH: unknown"));
    assertEquals("exec: \"/nonexist/x\": stat /nonexist/x: no such file or directory", reason("failed to create shim"
        + " task: OCI runtime create failed: runc create failed: unable to start container process: exec:"
        + " \"/nonexist/x\": stat /nonexist/x: no such file or directory: unknown"));
    assertEquals("exec: \"/etc\": permission denied", reason("failed to create shim task: OCI runtime create failed:"
        + " runc create failed: unable to start container process: exec: \"/etc\": permission denied: unknown"));
    // newer runc: "error during container init" before it
    assertEquals("exec: \"sh\": executable file not found in $PATH", reason("failed to create task for container:"
        + " failed to create shim task: OCI runtime create failed: runc create failed: unable to start container"
        + " process: error during container init: exec: \"sh\": executable file not found in $PATH: unknown"));
  }

  @Test
  void crunAndABinaryOfAnotherArchitecture() {
    assertEquals("executable file `sh` not found in $PATH", reason("crun: executable file `sh` not found in $PATH: No"
        + " such file or directory: OCI runtime attempted to invoke a command that was not found"));
    assertEquals("exec format error", reason("failed to create shim task: OCI runtime create failed: runc create"
        + " failed: unable to start container process: exec format error: unknown"));
  }

  @Test
  void otherStartFailuresAreTheEngines() {
    for (String said : new String[] {
        "can't join IPC of container abc: non-shareable IPC (hint: use IpcMode:shareable for the donor container)",
        "cannot join network of a non running container: abc",
        "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process:"
            + " error during container init: error mounting \"/x\" to rootfs at \"/y\": no such file or directory"}) {
      assertFalse(DockerContainerStreams.UNRUNNABLE.matcher(said).find(), said);
    }
  }
}
