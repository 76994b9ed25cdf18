package io.minify.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Images the integration tests build for themselves, FROM images the scripts build (see
 * {@link TestImagesComeFromScriptsTest}). The classic builder, as the scripts use it: BuildKit
 * is not always installed, and nothing here needs the network.
 */
final class TestImages {

  private TestImages() {}

  /** {@code docker build -t TAG -} with {@code dockerfile} and no context. */
  static void build(String tag, String dockerfile) throws IOException, InterruptedException {
    Process p = builder("build", "-q", "-t", tag, "-").start();
    p.getOutputStream().write(dockerfile.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    await(p, tag);
  }

  /** {@code docker build -t TAG DIR}: a Dockerfile with files to copy. */
  static void buildDirectory(String tag, Path dir) throws IOException, InterruptedException {
    Process p = builder("build", "-q", "-t", tag, dir.toString()).start();
    p.getOutputStream().close();
    await(p, tag);
  }

  private static ProcessBuilder builder(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "docker";
    System.arraycopy(args, 0, cmd, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DOCKER_BUILDKIT", "0");
    return pb;
  }

  private static void await(Process p, String tag) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("docker build of " + tag + " failed:\n" + out);
    }
  }
}
