package io.minify.engine;

import java.util.List;
import java.util.Map;

/**
 * A container run attached to this process's streams, as {@code docker run -i [-t]} runs one:
 * its stdin open (closed when this process's input ends), its output streamed back.
 *
 * @param name       the container's name
 * @param image      image reference or id
 * @param command    what it runs, replacing the image's ENTRYPOINT and CMD
 * @param user       the user it runs as, replacing the image's USER; null keeps it
 * @param capAdd     capabilities added to the engine's default set
 * @param namespaces the PID, network and IPC namespaces it joins ({@link NamespaceModes#joining})
 * @param labels     its labels
 * @param tty        whether it gets a terminal (its output then is one stream), else plain streams
 */
public record AttachedContainerSpec(String name, String image, List<String> command, String user, List<String> capAdd,
    NamespaceModes namespaces, Map<String, String> labels, boolean tty) {

  public AttachedContainerSpec {
    command = List.copyOf(command);
    capAdd = List.copyOf(capAdd);
    labels = Map.copyOf(labels);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("an attached container needs a command");
    }
  }

  /** A terminal's rows and columns; 0 when not known (the engine's default then). */
  public record TerminalSize(int rows, int columns) {}
}
