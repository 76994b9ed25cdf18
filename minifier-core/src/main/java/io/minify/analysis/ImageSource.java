package io.minify.analysis;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an image to analyse comes from: the local engine, a docker-archive tar (what
 * {@code docker save} and {@code minify build --output-tar} write) or an OCI image layout
 * directory ({@code --output-oci}). Named on the command line as it would be elsewhere:
 * {@code docker-archive:FILE} and {@code oci:DIR} are explicit; an existing file is an
 * archive, an existing directory a layout, anything else an image reference.
 */
public sealed interface ImageSource {

  /** What the user typed, for messages and for the JSON. */
  String name();

  /** The kind, as the JSON names it. */
  Kind kind();

  /** The three ways in. */
  enum Kind {
    ENGINE("engine"), DOCKER_ARCHIVE("docker-archive"), OCI_LAYOUT("oci-layout");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** An image the local engine has, by reference or id. */
  record EngineImage(String reference) implements ImageSource {
    @Override
    public String name() {
      return reference;
    }

    @Override
    public Kind kind() {
      return Kind.ENGINE;
    }
  }

  /** A docker-archive tar file. */
  record DockerArchiveFile(Path file) implements ImageSource {
    @Override
    public String name() {
      return file.toString();
    }

    @Override
    public Kind kind() {
      return Kind.DOCKER_ARCHIVE;
    }
  }

  /** An OCI image layout directory holding one image. */
  record OciLayoutDirectory(Path directory) implements ImageSource {
    @Override
    public String name() {
      return directory.toString();
    }

    @Override
    public Kind kind() {
      return Kind.OCI_LAYOUT;
    }
  }

  /**
   * Reads an argument. A path-like argument that names nothing is still taken as an engine
   * reference ("app:1.0" could be a file name too): the engine then says it has no such
   * image, and the message names both readings.
   *
   * @throws IllegalArgumentException for an empty argument or an explicit prefix without a path
   */
  static ImageSource parse(String argument) {
    if (argument == null || argument.isBlank()) {
      throw new IllegalArgumentException("the image must not be empty");
    }
    if (argument.startsWith("docker-archive:")) {
      return new DockerArchiveFile(Path.of(explicitPath(argument, "docker-archive:")));
    }
    if (argument.startsWith("oci:")) {
      return new OciLayoutDirectory(Path.of(explicitPath(argument, "oci:")));
    }
    Path path = Path.of(argument);
    if (Files.isDirectory(path)) {
      return new OciLayoutDirectory(path);
    }
    if (Files.isRegularFile(path)) {
      return new DockerArchiveFile(path);
    }
    return new EngineImage(argument);
  }

  private static String explicitPath(String argument, String prefix) {
    String rest = argument.substring(prefix.length());
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("'" + argument + "' names no path after '" + prefix + "'");
    }
    return rest;
  }
}
