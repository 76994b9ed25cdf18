package io.minify.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command of this host (a script, the docker client) run to its end, its output as text. */
final class HostCommand {

  private HostCommand() {}

  /**
   * Runs {@code command} with {@code env} added (DOCKER_HOST removed first: a script acts on the
   * first engine unless told otherwise); stderr goes to the test's log.
   *
   * @param mustSucceed whether an exit code other than 0 fails the test with the output
   */
  static String run(Map<String, String> env, int seconds, boolean mustSucceed, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("DOCKER_HOST");
    builder.environment().putAll(env);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = builder.start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds + " s");
    }
    String text = out.toString(StandardCharsets.UTF_8);
    if (mustSucceed && p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }
}
