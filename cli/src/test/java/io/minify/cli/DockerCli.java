package io.minify.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code docker} command line, for what a user would check by hand and the engine API
 * of the tests does not offer (a container's labels, copying a file out, running an image).
 * Runs never pull: no registry is reachable, and a missing image must fail, not wait.
 */
final class DockerCli {

  private DockerCli() {}

  /** {@code docker ARGS}, stderr merged; fails unless it exits 0; returns the output. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    p.getInputStream().transferTo(output);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    String text = output.toString(StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  /** The value of a container's label ("<no value>" when it has none, as docker prints it). */
  static String label(String container, String label) throws IOException, InterruptedException {
    return run("inspect", "-f", "{{index .Config.Labels \"" + label + "\"}}", container).strip();
  }
}
