package io.minify.run;

import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;

/**
 * An HTTP probe as answered by the original image, twice.
 *
 * @param first  the first answer, the one verification compares with (its body's first bytes kept)
 * @param second the answer to the same request sent again at least a second later: what of
 *               the first stays the same within one run (bytes, shape, type) is what the
 *               slim image's answer must keep (a clock or a counter does not)
 * @param source where the probe came from
 */
public record ProbeOutcome(HttpAnswer first, HttpAnswer second, ProbeSource source) {

  public ProbeResult result() {
    return first.result();
  }

  /** Whether the second request got the same body: the same bytes, or the same JSON document. */
  public boolean bodyStable() {
    return first.sameContent(second);
  }
}
