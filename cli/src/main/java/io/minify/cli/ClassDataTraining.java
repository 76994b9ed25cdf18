package io.minify.cli;

import com.sun.net.httpserver.HttpServer;
import io.minify.digest.Digest;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.http.NettyHttpProber;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import io.minify.tar.TarWriter;
import io.minify.tar.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

/**
 * The run that makes minify's class data archive ({@code minify.jsa}) at package time: the
 * JVM records every class this run loads ({@code -XX:ArchiveClassesAtExit}), and the launcher
 * maps them from the archive instead of reading, verifying and linking them from the jar at
 * every start. It needs no engine, so a machine without one can package minify. It does what
 * every build does up to the engine and past it: renders the help pages, runs {@code build}
 * against a stand-in engine on a socket of its own ({@link TrainingEngine}: the package's
 * execution sets DOCKER_HOST to it), which answers as far as the image's inspection,
 * sends an HTTP probe through the Netty prober to a server of its own on 127.0.0.1, and
 * writes, reads and hashes a small tar. Output goes nowhere; the exit code is always 0, since
 * a step that fails only leaves its classes out of the archive.
 */
public final class ClassDataTraining {

  /** The commands run, in order: each help page, a build and an xray that end at the engine and the file. */
  private static final List<List<String>> RUNS = List.of(
      List.of("--help"), List.of("build", "--help"), List.of("xray", "--help"), List.of("diff", "--help"),
      List.of("build", "minify-training/none:1", "--no-report", "--http-probe-cmd", "GET:/"),
      List.of("xray", "docker-archive:/nonexistent/minify-training.tar", "--json"));

  private ClassDataTraining() {}

  public static void main(String[] args) {
    PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
    // DOCKER_HOST (set by the package's execution) names a socket in the build directory
    String host = System.getenv("DOCKER_HOST");
    TrainingEngine engine = null;
    try {
      if (host != null && host.startsWith("unix://")) {
        engine = TrainingEngine.listen(Path.of(host.substring("unix://".length())));
      }
    } catch (IOException | RuntimeException e) {
      // no stand-in engine: the build's run ends at the connection, and the archive is smaller
    }
    for (List<String> run : RUNS) {
      CommandLine line = newCommandLine(run);
      line.setOut(nowhere);
      line.setErr(nowhere);
      line.execute(run.toArray(String[]::new));
    }
    try {
      if (engine != null) {
        engine.close();
      }
    } catch (IOException e) {
      // a socket file left in the build directory
    }
    try {
      probeOnce();
      tarRoundTrip();
    } catch (IOException | RuntimeException e) {
      // a smaller archive, nothing worse
    }
  }

  /** The command line as the launcher's main makes it: for a build, with the connection begun early. */
  private static CommandLine newCommandLine(List<String> run) {
    return run.get(0).equals("build") && run.size() > 2
        ? MinifyCommand.newCommandLine(EarlyConnection.begin(DockerJavaEngine::connect)) : MinifyCommand.newCommandLine();
  }

  private static void probeOnce() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] page = "<html><body><a href=\"/next\">next</a></body></html>".getBytes(StandardCharsets.US_ASCII);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, page.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(page);
      }
    });
    server.start();
    try (HttpProber prober = new NettyHttpProber(InetAddress.getLoopbackAddress().getHostAddress())) {
      prober.execute(HttpProbe.get(80, "/"), server.getAddress().getPort(),
          new HttpProber.RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(5)));
    } finally {
      server.stop(0);
    }
  }

  private static void tarRoundTrip() throws IOException {
    byte[] content = "minify\n".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarWriter writer = new TarWriter(tar);
    writer.putEntry(new TarWriter.Member("etc/minify".getBytes(StandardCharsets.US_ASCII), TarHeader.REGULAR, 0644,
        0, 0, content.length, 0, new byte[0], 0, 0, Xattrs.NONE));
    writer.write(content, 0, content.length);
    writer.closeEntry(content.length);
    writer.finish();
    TarReader reader = new TarReader(new ByteArrayInputStream(tar.toByteArray()));
    while (reader.next() != null) {
      // each header parsed
    }
    Digest.sha256Of(tar.toByteArray());
  }
}
