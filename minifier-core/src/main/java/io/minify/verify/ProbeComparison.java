package io.minify.verify;

/**
 * One probe answered by the original and by the slim image.
 *
 * @param probe          the probe's short name ("GET :8080/health")
 * @param originalStatus status from the original image
 * @param slimStatus     status from the slim image (-1: no response)
 * @param bodyCompared   false when the original's body changed between two requests
 * @param matches        whether the slim image answered the same
 * @param difference     what differed, "" when it matches
 */
public record ProbeComparison(String probe, int originalStatus, int slimStatus, boolean bodyCompared,
    boolean matches, String difference) {}
