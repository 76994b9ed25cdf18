package io.minify.engine.docker;

import io.minify.engine.EngineException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A container's stdin, attached on a connection of its own that is half-closed when the input
 * ends: the engine then closes the container's stdin (it was created {@code StdinOnce}), and a
 * shell reading a script from a pipe ends. docker-java's Apache transport never tells the
 * engine that the input ended, so a command that reads stdin would run forever.
 *
 * <p>Only for an engine on a unix socket, where the connection is a plain stream; elsewhere
 * ({@link #open} is empty) docker-java's attach carries the input, and its end is not passed on.
 */
final class StdinAttach implements AutoCloseable {
  private static final String UNIX = "unix://";
  private static final int HEAD_LIMIT = 16 * 1024;
  private static final int CHUNK = 8192;

  private final SocketChannel channel;
  private final Thread copier;

  private StdinAttach(SocketChannel channel, InputStream stdin, String containerId) {
    this.channel = channel;
    this.copier = new Thread(() -> copy(stdin), "minify-stdin-" + DockerCalls.shortId(containerId));
    // a read of this process's stdin cannot be interrupted: the thread must not keep the JVM up
    copier.setDaemon(true);
  }

  /** The attach of {@code containerId}'s stdin to {@code stdin}; empty when the engine is not on a unix socket. */
  static Optional<StdinAttach> open(DockerConnection connection, String containerId, InputStream stdin) {
    if (!connection.host().startsWith(UNIX)) {
      return Optional.empty();
    }
    String what = "attaching to the stdin of container " + DockerCalls.shortId(containerId);
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(connection.host().substring(UNIX.length())));
      String request = "POST /v" + connection.apiVersion() + "/containers/" + containerId
          + "/attach?stream=1&stdin=1&stdout=0&stderr=0 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\n"
          + "Upgrade: tcp\r\nContent-Length: 0\r\n\r\n";
      write(channel, request.getBytes(StandardCharsets.US_ASCII), request.length());
      String status = responseHead(channel);
      // 101 Switching Protocols; engines before API 1.22 answer 200 and stream all the same
      if (!status.matches("HTTP/1\\.[01] (101|200)( .*)?")) {
        throw new EngineException(what + " failed: the engine answered " + status);
      }
      StdinAttach attach = new StdinAttach(channel, stdin, containerId);
      attach.copier.start();
      return Optional.of(attach);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new EngineException(what + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** The status line of the answer, its headers read up to the blank line and no further. */
  private static String responseHead(SocketChannel channel) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    // byte by byte: what follows the head is the stream's, and nothing may be read ahead of it
    while (head.size() < HEAD_LIMIT) {
      one.clear();
      if (channel.read(one) < 0) {
        throw new IOException("the engine closed the connection before it answered");
      }
      head.write(one.get(0));
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
      }
    }
    throw new IOException("the engine's answer has no end of its head within " + HEAD_LIMIT + " bytes");
  }

  private void copy(InputStream stdin) {
    byte[] buffer = new byte[CHUNK];
    try {
      int read;
      while ((read = stdin.read(buffer)) >= 0) {
        write(channel, buffer, read);
      }
      // the end of the input: the engine closes the container's stdin
      channel.shutdownOutput();
    } catch (IOException e) {
      // the container ended (the engine closed the connection) or the input broke: nothing more to send
    }
  }

  private static void write(SocketChannel channel, byte[] bytes, int length) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(bytes, 0, length);
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing is best effort
      }
    }
  }
}
