package io.minify.probe.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

  @Test
  void parsesPortSendAndExpectWithEscapes() {
    TcpProbe p = TcpProbe.parse("6379:PING\\r\\n:+PONG");
    assertEquals(6379, p.containerPort());
    assertArrayEquals("PING\r\n".getBytes(StandardCharsets.US_ASCII), p.send());
    assertArrayEquals("+PONG".getBytes(StandardCharsets.US_ASCII), p.expect());
    assertEquals("TCP :6379 send \"PING\\r\\n\" expect \"+PONG\"", p.describe());
    assertEquals("'x' in 'x:y' is not a port (expected PORT[:SEND[:EXPECT]])",
        assertThrows(IllegalArgumentException.class, () -> TcpProbe.parse("x:y")).getMessage());
    assertEquals("unknown escape '\\q' in '1:\\q' (use \\r \\n \\t \\\\ \\xHH)",
        assertThrows(IllegalArgumentException.class, () -> TcpProbe.parse("1:\\q")).getMessage());
  }

  @Test
  void sendsAndMatchesAgainstARealSocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < 2; i++) {
          try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            in.read(new byte[16]);
            s.getOutputStream().write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(100); // a peer that lingers after answering, as redis does
          } catch (Exception e) {
            return;
          }
        }
      });
      t.start();
      TcpProber prober = new SocketTcpProber();
      TcpProbeResult ok = prober.execute(TcpProbe.parse("1:PING\\r\\n:+PONG"), server.getLocalPort(), 1,
          Duration.ZERO, Duration.ofSeconds(2));
      assertTrue(ok.ok(), String.valueOf(ok.error()));
      TcpProbeResult wrong = prober.execute(TcpProbe.parse("1:PING\\r\\n:-ERR"), server.getLocalPort(), 1,
          Duration.ZERO, Duration.ofSeconds(2));
      assertFalse(wrong.matched());
      assertEquals("expected \"-ERR\", got \"+PONG\\r\\n\"", wrong.error());
      t.join(5000);
    }
  }
}
