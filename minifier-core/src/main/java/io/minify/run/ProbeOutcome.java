package io.minify.run;

import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;

/**
 * An HTTP probe as answered by the original image.
 *
 * @param result     the first answer
 * @param bodyStable whether a second identical request got the same body; verification
 *                   compares the body only when it is stable (a clock or a counter is not)
 * @param source     where the probe came from
 */
public record ProbeOutcome(ProbeResult result, boolean bodyStable, ProbeSource source) {}
