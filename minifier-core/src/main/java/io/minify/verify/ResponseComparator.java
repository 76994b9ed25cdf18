package io.minify.verify;

import io.minify.probe.ProbeResult;
import io.minify.run.ProbeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether the slim image answered each probe as the original did (DESIGN.md stage
 * 8): same status always; same body bytes when the original's body was stable across two
 * requests.
 */
public final class ResponseComparator {

  private ResponseComparator() {}

  public static List<ProbeComparison> compare(List<ProbeOutcome> original, List<ProbeResult> slim) {
    if (original.size() != slim.size()) {
      throw new IllegalArgumentException("replayed " + slim.size() + " probes, expected " + original.size());
    }
    List<ProbeComparison> out = new ArrayList<>();
    for (int i = 0; i < original.size(); i++) {
      out.add(compare(original.get(i), slim.get(i)));
    }
    return out;
  }

  static ProbeComparison compare(ProbeOutcome original, ProbeResult slim) {
    ProbeResult orig = original.result();
    String name = orig.probe().describe();
    if (!slim.answered()) {
      return new ProbeComparison(name, orig.status(), slim.status(), original.bodyStable(), false,
          "no response from the slim image: " + slim.error());
    }
    if (orig.status() != slim.status()) {
      return new ProbeComparison(name, orig.status(), slim.status(), original.bodyStable(), false,
          "status " + slim.status() + " instead of " + orig.status());
    }
    if (original.bodyStable() && !Objects.equals(orig.bodySha256(), slim.bodySha256())) {
      return new ProbeComparison(name, orig.status(), slim.status(), true, false,
          "body differs (" + slim.bodyBytes() + " bytes instead of " + orig.bodyBytes() + ")");
    }
    return new ProbeComparison(name, orig.status(), slim.status(), original.bodyStable(), true, "");
  }
}
