package io.minify.probe;

/** Where an HTTP probe of the plan came from; the report names it by {@link #label()}. */
public enum ProbeSource {
  /** {@code GET /} on every probed port, added by minify itself. */
  DEFAULT("default"),
  /** {@code --http-probe-cmd}. */
  CMD("cmd"),
  /** {@code --http-probe-cmd-file}. */
  FILE("file"),
  /** A page or asset the crawler found. */
  CRAWL("crawl"),
  /** An operation of the API spec named by {@code --http-probe-apispec} (a file, or a path the app serves). */
  APISPEC("apispec");

  private final String label;

  ProbeSource(String label) {
    this.label = label;
  }

  /** The name the report writes: "default", "cmd", "file", "crawl", "apispec". */
  public String label() {
    return label;
  }
}
