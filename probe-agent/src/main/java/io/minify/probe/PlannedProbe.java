package io.minify.probe;

/**
 * An HTTP probe of the plan with where it came from (for the report) and, for probes from a
 * probe file, the status the original image must answer.
 *
 * @param probe          the request
 * @param source         "default", "cmd", "file", "crawl" or "apispec"
 * @param expectedStatus the status the original must answer; {@link #ANY_STATUS} for any
 */
public record PlannedProbe(HttpProbe probe, String source, int expectedStatus) {

  public static final int ANY_STATUS = 0;

  public static PlannedProbe of(HttpProbe probe, String source) {
    return new PlannedProbe(probe, source, ANY_STATUS);
  }

  public PlannedProbe onPort(int port) {
    return new PlannedProbe(ProbeCommandParser.onPort(probe, port), source, expectedStatus);
  }
}
