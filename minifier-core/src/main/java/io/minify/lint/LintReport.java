package io.minify.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * The findings of one Dockerfile, as {@code minify lint --json} writes them (fields in this
 * order, findings in {@link Finding#ORDER}).
 *
 * @param file     the Dockerfile as named on the command line
 * @param context  the build context whose .dockerignore was read
 * @param findings what the rules found
 */
public record LintReport(String file, String context, List<Finding> findings) {

  public LintReport {
    findings = List.copyOf(findings);
  }

  /** Whether a finding at {@code level} or above is among them. */
  public boolean reaches(Level level) {
    return findings.stream().anyMatch(f -> f.level().atLeast(level));
  }

  /** {@code reports} as indented JSON: an array, one object per Dockerfile in the order given. */
  public static String toJson(List<LintReport> reports) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(reports);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lint report is not serialisable", e);
    }
  }
}
