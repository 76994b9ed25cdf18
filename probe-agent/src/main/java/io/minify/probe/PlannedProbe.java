package io.minify.probe;

/**
 * An HTTP probe of the plan with where it came from (for the report) and, for probes from a
 * probe file, the status the original image must answer.
 *
 * @param probe          the request
 * @param source         where it came from
 * @param expectedStatus the status the original must answer; {@link #ANY_STATUS} for any
 */
public record PlannedProbe(HttpProbe probe, ProbeSource source, int expectedStatus) {

  public static final int ANY_STATUS = 0;

  public static PlannedProbe of(HttpProbe probe, ProbeSource source) {
    return new PlannedProbe(probe, source, ANY_STATUS);
  }

  public PlannedProbe onPort(int port) {
    return new PlannedProbe(probe.onPort(port), source, expectedStatus);
  }
}
