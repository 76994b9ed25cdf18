package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in engine of the class data training answers as a build's first calls expect. */
class TrainingEngineTest {

  @TempDir
  Path dir;

  @Test
  void answersVersionInfoAndInspectionAndRefusesTheRest() throws IOException {
    Path socket = dir.resolve("engine.sock");
    TrainingEngine engine = TrainingEngine.listen(socket);
    try {
      assertTrue(get(socket, "/version").startsWith("HTTP/1.1 200"));
      assertTrue(get(socket, "/v1.41/version").contains("\"ApiVersion\":\"1.41\""));
      assertTrue(get(socket, "/v1.41/info").contains("\"Driver\":\"overlay2\""));
      assertTrue(get(socket, "/v1.41/images/minify-training/none:1/json").contains("\"RootFS\""));
      assertTrue(get(socket, "/v1.41/images/get?names=x").startsWith("HTTP/1.1 404"));
    } finally {
      engine.close();
    }
    assertFalse(Files.exists(socket));
  }

  private static String get(Path socket, String target) throws IOException {
    try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      client.connect(UnixDomainSocketAddress.of(socket));
      client.write(ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: docker\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      while (client.read(buffer.clear()) >= 0) {
        answer.write(buffer.array(), 0, buffer.position());
      }
      return answer.toString(StandardCharsets.US_ASCII);
    }
  }
}
