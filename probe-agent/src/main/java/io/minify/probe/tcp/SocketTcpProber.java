package io.minify.probe.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Sends {@link TcpProbe}s to 127.0.0.1 with plain blocking sockets (one connection per
 * attempt; no need for an event loop here).
 *
 * <p>A published port accepts even while the app does not listen yet (the engine's proxy
 * accepts, then closes), so "connected" means: the peer did not close within
 * {@link #SETTLE} of the connect (or of our send), or it answered with bytes.
 */
public final class SocketTcpProber implements TcpProber {

  static final Duration SETTLE = Duration.ofMillis(300);
  private static final int MAX_READ = 64 * 1024;

  private final String host;

  /** A prober of ports published on 127.0.0.1. */
  public SocketTcpProber() {
    this("127.0.0.1");
  }

  /** A prober of ports published on {@code host}, the engine's host as this process reaches it. */
  public SocketTcpProber(String host) {
    this.host = host;
  }

  /**
   * {@inheritDoc}
   */
  @Override
  public TcpProbeResult execute(TcpProbe probe, int hostPort, int attempts, Duration wait, Duration timeout) {
    TcpProbeResult last = null;
    for (int i = 1; i <= attempts; i++) {
      last = once(probe, hostPort, i, timeout);
      if (last.ok() || (last.connected() && probe.expect().length > 0 && last.received() > 0)) {
        return last; // an answer that does not match will not match on retry either
      }
      if (i < attempts) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return last;
        }
      }
    }
    return last;
  }

  private TcpProbeResult once(TcpProbe probe, int hostPort, int attempt, Duration timeout) {
    long start = System.nanoTime();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] expect = probe.expect();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, hostPort), (int) timeout.toMillis());
      if (probe.send().length > 0) {
        s.getOutputStream().write(probe.send());
        s.getOutputStream().flush();
      }
      InputStream in = s.getInputStream();
      long deadline = System.nanoTime() + (expect.length > 0 ? timeout : SETTLE).toNanos();
      byte[] buf = new byte[4096];
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        s.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n;
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException e) {
          break;
        }
        if (n < 0) {
          if (got.size() == 0) {
            return result(probe, false, false, new byte[0], start, attempt,
                "the connection was closed before any byte (nothing listening yet?)");
          }
          break;
        }
        got.write(buf, 0, Math.min(n, MAX_READ - got.size()));
        if (expect.length > 0 && contains(got.toByteArray(), expect) || got.size() >= MAX_READ) {
          break;
        }
        if (expect.length == 0) {
          break; // bytes arrived: something listens
        }
      }
      boolean matched = expect.length == 0 || contains(got.toByteArray(), expect);
      return result(probe, true, matched, got.toByteArray(), start, attempt, matched ? null
          : "expected \"" + TcpProbe.printable(expect) + "\", got \"" + TcpProbe.printable(head(got.toByteArray()))
              + "\"");
    } catch (IOException e) {
      return result(probe, false, false, got.toByteArray(), start, attempt, "cannot connect to " + host + ":" + hostPort
          + ": " + e.getMessage());
    }
  }

  private static TcpProbeResult result(TcpProbe probe, boolean connected, boolean matched, byte[] received, long start,
      int attempts, String error) {
    return new TcpProbeResult(probe, connected, matched, received.length, Duration.ofNanos(System.nanoTime() - start),
        attempts, error, head(received));
  }

  private static byte[] head(byte[] b) {
    return b.length <= TcpProbeResult.HEAD_BYTES ? b : java.util.Arrays.copyOf(b, TcpProbeResult.HEAD_BYTES);
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
