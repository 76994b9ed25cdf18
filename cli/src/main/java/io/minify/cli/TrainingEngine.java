package io.minify.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in engine on a unix socket for {@link ClassDataTraining}: it answers the version and
 * info questions every build starts with, and an image inspection, so the engine client's
 * classes (its transport, its commands, the JSON mapping of an image) are loaded by the
 * training run and land in the class data archive; anything else is refused with a 404, as an
 * engine refuses an unknown image. Each answer closes its connection, so one thread serves.
 */
final class TrainingEngine implements AutoCloseable {

  private static final String VERSION = "{\"ApiVersion\":\"1.41\",\"Version\":\"training\",\"Components\":[]}";
  private static final String INFO = "{\"Driver\":\"overlay2\",\"DriverStatus\":[[\"Backing Filesystem\",\"extfs\"]]}";
  private static final String IMAGE = "{\"Id\":\"sha256:" + "0".repeat(64) + "\",\"RepoTags\":[\"minify-training/none:1\"],"
      + "\"Size\":1024,\"Architecture\":\"amd64\",\"Os\":\"linux\",\"Config\":{\"Env\":[\"PATH=/usr/bin:/bin\"],"
      + "\"Cmd\":[\"/bin/app\"],\"ExposedPorts\":{\"80/tcp\":{}},\"WorkingDir\":\"/\",\"Labels\":{}},"
      + "\"RootFS\":{\"Type\":\"layers\",\"Layers\":[\"sha256:" + "1".repeat(64) + "\"]}}";
  private static final String REFUSED = "{\"message\":\"training engine: no such thing\"}";

  private final Path socket;
  private final ServerSocketChannel server;
  private final Thread thread;

  private TrainingEngine(Path socket, ServerSocketChannel server) {
    this.socket = socket;
    this.server = server;
    this.thread = new Thread(this::serve, "minify-training-engine");
    this.thread.setDaemon(true);
  }

  /** Listens on {@code socket} (a stale file there is replaced) until closed. */
  static TrainingEngine listen(Path socket) throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    TrainingEngine engine = new TrainingEngine(socket, server);
    engine.thread.start();
    return engine;
  }

  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel client = server.accept()) {
        String path = requestPath(client);
        String body;
        int status = 200;
        if (path.equals("/version") || path.endsWith("/version")) {
          body = VERSION;
        } else if (path.endsWith("/info")) {
          body = INFO;
        } else if (path.contains("/images/") && path.endsWith("/json")) {
          body = IMAGE;
        } else {
          status = 404;
          body = REFUSED;
        }
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: application/json"
            + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        client.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        client.write(ByteBuffer.wrap(bytes));
      } catch (IOException e) {
        // closed, or a client that went away: the training takes what it got
      }
    }
  }

  /** The request's path, from its head; the head is read to its end so the client sees it consumed. */
  private static String requestPath(SocketChannel client) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (!new String(head.toByteArray(), StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
      buffer.clear();
      if (client.read(buffer) < 0) {
        break;
      }
      head.write(buffer.array(), 0, buffer.position());
    }
    String[] requestLine = new String(head.toByteArray(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0].split(" ");
    String target = requestLine.length > 1 ? requestLine[1] : "/";
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }
}
