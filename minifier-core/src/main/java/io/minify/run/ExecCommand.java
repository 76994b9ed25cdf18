package io.minify.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  /** @throws IllegalArgumentException one line naming the bad part */
  public static ExecCommand parse(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    if (!t.startsWith("[")) {
      return new ExecCommand(t, List.of("/bin/sh", "-c", t));
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
