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
    await(p, "build " + tag);
  }

  /** {@code docker build -t TAG DIR}: a Dockerfile with files to copy. */
  static void buildDirectory(String tag, Path dir) throws IOException, InterruptedException {
    Process p = builder("build", "-q", "-t", tag, dir.toString()).start();
    p.getOutputStream().close();
    await(p, "build " + tag);
  }

  /** {@code docker save -o ARCHIVE TAG}. */
  static void save(String tag, Path archive) throws IOException, InterruptedException {
    Process p = builder("save", "-o", archive.toString(), tag).start();
    p.getOutputStream().close();
    await(p, "save " + tag);
  }

  /** {@code docker load -i ARCHIVE}: a hand-made image, as a user's tool may have written it. */
  static void load(Path archive) throws IOException, InterruptedException {
    Process p = builder("load", "-i", archive.toString()).start();
    p.getOutputStream().close();
    await(p, "load " + archive.getFileName());
  }

  /**
   * Removes a test's tag, forcibly: on an engine shared with other work, someone else's
   * container may use the image for a moment (the engine then refuses a plain removal), and
   * a test must not fail for that. A missing tag is fine.
   */
  static void untag(String tag) {
    try {
      Process p = builder("image", "rm", "-f", tag).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("docker image rm -f " + tag + " did not finish");
      }
      if (p.exitValue() != 0 && !out.contains("No such image")) {
        throw new IllegalStateException("docker image rm -f " + tag + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while removing " + tag, e);
    }
  }

  /** The tags of {@code repository} the engine holds ("repo:tag"), sorted. */
  static java.util.List<String> tagsOf(String repository) throws IOException, InterruptedException {
    Process p = builder("images", "--format", "{{.Repository}}:{{.Tag}}", repository).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("docker images " + repository + " failed:\n" + out);
    }
    return out.lines().filter(l -> !l.isBlank()).sorted().toList();
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
      throw new IllegalStateException("docker " + tag + " failed:\n" + out);
    }
  }
}
