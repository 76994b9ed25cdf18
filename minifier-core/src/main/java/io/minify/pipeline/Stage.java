package io.minify.pipeline;

/**
 * The stages of {@code minify build}, in order (docs/design.md, "The pipeline of build"), and
 * {@link #RECALL}, which {@code minify merge} runs in place of start, probe and stop.
 */
public enum Stage {
  INSPECT("inspect"),
  START("start gated"),
  PROBE("probe"),
  STOP("stop"),
  /** {@code minify merge}: a run of an earlier report, as it recorded it (nothing runs). */
  RECALL("recall"),
  SELECT("select"),
  PACKAGE("package"),
  VERIFY("verify"),
  REPORT("report");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
