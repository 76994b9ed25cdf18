package io.minify.pack;

import java.io.IOException;
import java.util.List;

/** A written image artifact disagrees with itself; the message lists every finding, one a line. */
public final class InvalidArtifactException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient List<ArtifactFinding> findings;

  public InvalidArtifactException(String artifact, List<ArtifactFinding> findings) {
    super(artifact + " is not a valid image artifact (" + findings.size() + " finding"
        + (findings.size() == 1 ? "" : "s") + "):\n  "
        + String.join("\n  ", findings.stream().map(ArtifactFinding::toString).toList()));
    this.findings = List.copyOf(findings);
  }

  public List<ArtifactFinding> findings() {
    return findings;
  }

  /** Throws when {@code findings} is not empty. */
  static void throwIfAny(String artifact, List<ArtifactFinding> findings) throws InvalidArtifactException {
    if (!findings.isEmpty()) {
      throw new InvalidArtifactException(artifact, findings);
    }
  }
}
