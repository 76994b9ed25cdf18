package io.minify.pipeline;

/** The stages of {@code minify build}, in order (docs/design.md, "The pipeline of build"). */
public enum Stage {
  INSPECT("inspect"),
  START("start gated"),
  PROBE("probe"),
  STOP("stop"),
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
