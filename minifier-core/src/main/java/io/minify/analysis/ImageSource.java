package io.minify.analysis;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an image to analyse comes from: the local engine, a docker-archive tar (what
 * {@code docker save} and {@code minify build --output-tar} write) or an OCI image layout
 * directory ({@code --output-oci}). Named on the command line as it would be elsewhere:
 * {@code docker-archive:FILE} and {@code oci:DIR} are explicit; an existing file is an
 * archive, an existing directory a layout, anything else an image reference.
 *
 * @param kind the way in
 * @param name what the user typed (without a prefix), for messages and the JSON: the
 *             reference for an engine image, else the path
 * @param path the file or directory; null for an engine image
 */
public record ImageSource(Kind kind, String name, Path path) {

  /** The three ways in. */
  public enum Kind {
    ENGINE("engine"), DOCKER_ARCHIVE("docker-archive"), OCI_LAYOUT("oci-layout");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static ImageSource engine(String reference) {
    return new ImageSource(Kind.ENGINE, reference, null);
  }

  public static ImageSource dockerArchive(Path file) {
    return new ImageSource(Kind.DOCKER_ARCHIVE, file.toString(), file);
  }

  public static ImageSource ociLayout(Path directory) {
    return new ImageSource(Kind.OCI_LAYOUT, directory.toString(), directory);
  }

  /**
   * Reads an argument. A path-like argument that names nothing is still taken as an engine
   * reference ("app:1.0" could be a file name too): the engine then says it has no such
   * image, and the message names both readings.
   *
   * @throws IllegalArgumentException for an empty argument or an explicit prefix without a path
   */
  public static ImageSource parse(String argument) {
    if (argument == null || argument.isBlank()) {
      throw new IllegalArgumentException("the image must not be empty");
    }
    if (argument.startsWith("docker-archive:")) {
      return dockerArchive(Path.of(explicitPath(argument, "docker-archive:")));
    }
    if (argument.startsWith("oci:")) {
      return ociLayout(Path.of(explicitPath(argument, "oci:")));
    }
    Path path = Path.of(argument);
    if (Files.isDirectory(path)) {
      return ociLayout(path);
    }
    if (Files.isRegularFile(path)) {
      return dockerArchive(path);
    }
    return engine(argument);
  }

  private static String explicitPath(String argument, String prefix) {
    String rest = argument.substring(prefix.length());
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("'" + argument + "' names no path after '" + prefix + "'");
    }
    return rest;
  }
}
