package io.minify.verify;

/**
 * One probe answered by the original and by the slim image.
 *
 * @param probe          the probe's short name ("GET :8080/health")
 * @param originalStatus status from the original image
 * @param slimStatus     status from the slim image (-1: no response)
 * @param comparedOn     what of the answer was compared
 * @param runDependent   whether a second run of the original answered this probe with other
 *                       bytes than the first run did (a start time, a row created at start):
 *                       then the answer is compared on what both runs kept
 * @param matches        whether the slim image answered the same
 * @param confirmable    for a difference: whether a second run of the original can show it is
 *                       the app's own (the status was the same and only the body, its shape
 *                       or its type differed); false for a match
 * @param difference     what differed, "" when it matches
 */
public record ProbeComparison(String probe, int originalStatus, int slimStatus, ComparedOn comparedOn,
    boolean runDependent, boolean matches, boolean confirmable, String difference) {

  static ProbeComparison match(String probe, int originalStatus, int slimStatus, ComparedOn on, boolean runDependent) {
    return new ProbeComparison(probe, originalStatus, slimStatus, on, runDependent, true, false, "");
  }

  static ProbeComparison mismatch(String probe, int originalStatus, int slimStatus, ComparedOn on,
      boolean runDependent, boolean confirmable, String difference) {
    return new ProbeComparison(probe, originalStatus, slimStatus, on, runDependent, false, confirmable, difference);
  }
}
