package io.minify.lint;

/** A Dockerfile the builder would refuse too, with the line it refuses. */
public final class DockerfileSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;

  public DockerfileSyntaxException(int line, String message) {
    super(message);
    this.line = line;
  }

  /** The line (1 = first) the problem is on. */
  public int line() {
    return line;
  }
}
