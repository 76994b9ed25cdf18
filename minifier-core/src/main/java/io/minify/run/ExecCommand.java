package io.minify.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.shell.ShellCommandWords;
import java.util.ArrayList;
import java.util.List;

/**
 * A command for {@code --exec}: like a Dockerfile RUN, a JSON array runs as is (for images
 * without a shell), any other text runs through {@code /bin/sh -c}.
 *
 * @param text the command as the user wrote it (for the report)
 * @param argv what is executed
 */
public record ExecCommand(String text, List<String> argv) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ExecCommand {
    argv = List.copyOf(argv);
  }

  /** The shell that runs a command given as text, as the engine's exec and a Dockerfile RUN use it. */
  public static final String SHELL = "/bin/sh";

  /**
   * The programs this command runs, to be kept in the slim image even when the watched run
   * did not need them all: for a text command, the shell and the command words of its
   * script ({@link ShellCommandWords}); for a JSON array, {@code argv[0]} (and the script of
   * {@code ["sh", "-c", SCRIPT]}). Names as written: looking them up is the image's business.
   */
  public List<String> programs() {
    if (argv.size() == 3 && argv.get(0).equals(SHELL) && argv.get(1).equals("-c") && argv.get(2).equals(text)) {
      List<String> programs = new ArrayList<>(List.of(SHELL));
      ShellCommandWords.of(text).stream().filter(w -> !w.equals(SHELL)).forEach(programs::add);
      return List.copyOf(programs);
    }
    return ShellCommandWords.ofArgv(argv);
  }

  /** @throws IllegalArgumentException one line naming the bad part */
  public static ExecCommand parse(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    if (!t.startsWith("[")) {
      return new ExecCommand(t, List.of(SHELL, "-c", t));
    }
    JsonNode node;
    try {
      node = JSON.readTree(t);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("'" + t + "' starts with '[' but is not a JSON array of strings");
    }
    List<String> argv = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        throw new IllegalArgumentException("'" + t + "': every element of the array must be a string");
      }
      argv.add(n.asText());
    }
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("'" + t + "' is an empty array");
    }
    return new ExecCommand(t, argv);
  }
}
