package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.dockerjava.api.exception.DockerException;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** How docker-java's failures read once they are the engine's: its own words, on one line. */
class DockerCallsTest {

  @Test
  void theEnginesMessageIsTakenOutOfDockerJavasStatusLineQuotesAndAll() {
    assertEquals("No such image: app:1", DockerCalls.firstLine("Status 404: {\"message\":\"No such image: app:1\"}\n"));
    assertEquals("file integrity checksum failed for \"../../etc/hostname\"", DockerCalls.firstLine(
        "Status 500: {\"message\":\"file integrity checksum failed for \\\"../../etc/hostname\\\"\"}"));
    assertEquals("first", DockerCalls.firstLine("  first\nsecond"));
    assertEquals("not {json", DockerCalls.firstLine("not {json"));
    assertEquals("unknown error", DockerCalls.firstLine(null));
  }

  @Test
  void aCallThatFailsNamesWhatFailed() {
    EngineException refused = assertThrows(EngineException.class, () -> DockerCalls.call("tagging x", () -> {
      throw new DockerException("Status 409: {\"message\":\"conflict\"}", 409);
    }));
    assertEquals("tagging x failed: conflict", refused.getMessage());

    EngineException unreachable = assertThrows(EngineException.class, () -> DockerCalls.call("listing containers",
        () -> {
          throw new UncheckedIOException(new IOException("Connection refused\n  at the socket"));
        }));
    assertEquals("listing containers failed: Connection refused at the socket", unreachable.getMessage());

    EngineException own = new EngineException("already ours");
    assertSame(own, assertThrows(EngineException.class, () -> DockerCalls.call("x", () -> {
      throw own;
    })));
  }

  @Test
  void anErrorStatusIsARefusalInTheEnginesOwnWords() {
    EngineRefusedException e = assertThrows(EngineRefusedException.class, () -> DockerCalls.refusedInItsOwnWords(
        "listing the changes of container c", () -> {
          throw new DockerException("Status 500: {\"message\":\"lstat /x: file name too long\"}", 500);
        }));
    assertEquals("listing the changes of container c failed: lstat /x: file name too long", e.getMessage());
    assertEquals("lstat /x: file name too long", e.engineMessage());
  }
}
