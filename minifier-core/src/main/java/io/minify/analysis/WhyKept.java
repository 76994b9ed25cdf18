package io.minify.analysis;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.digest.Digest;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.report.BuildReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Why each path of a slim image was kept, from the {@code minify-report.json} of the build
 * that made it ({@code kept[]}: path, reason, detail). Paths are the report's text form of
 * the path bytes, which is also how {@link io.minify.path.UnixPath#toString()} writes them,
 * so they match the slim image's paths one to one.
 *
 * @param slimImageId the image id the report names, to check it describes the image compared;
 *                    empty when it names none
 * @param reasons     path text to why it was kept
 */
public record WhyKept(Optional<Digest> slimImageId, Map<String, Reason> reasons) {

  public WhyKept {
    reasons = java.util.Collections.unmodifiableMap(new TreeMap<>(reasons));
  }

  /** One kept path's reason ("observed", "elf_needed", ...) and the rule's detail. */
  public record Reason(String reason, String detail) {}

  public static WhyKept none() {
    return new WhyKept(Optional.empty(), Map.of());
  }

  public Optional<Reason> of(String path) {
    return Optional.ofNullable(reasons.get(path));
  }

  public boolean isEmpty() {
    return reasons.isEmpty() && slimImageId.isEmpty();
  }

  /** The reasons of a build that just ran. */
  public static WhyKept of(BuildReport report) {
    Map<String, Reason> reasons = new TreeMap<>();
    report.kept().forEach(k -> reasons.put(k.path(), new Reason(k.reason(), k.detail())));
    return new WhyKept(Optional.of(report.slimImageId()), reasons);
  }

  /** Reads a report file; anything that is not a minify build report is bad input. */
  public static WhyKept read(Path report) throws BuildException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(report.toFile());
    } catch (JacksonException e) {
      throw new BuildException(FailureKind.BAD_INPUT, "--report " + report + ": not JSON ("
          + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new BuildException(FailureKind.BAD_INPUT, "--report " + report + ": cannot read it ("
          + e.getClass().getSimpleName() + ")");
    }
    JsonNode kept = root == null ? null : root.get("kept");
    if (kept == null || !kept.isArray()) {
      throw new BuildException(FailureKind.BAD_INPUT, "--report " + report
          + ": not a minify build report (it has no kept[] array)");
    }
    Map<String, Reason> reasons = new TreeMap<>();
    for (JsonNode path : kept) {
      reasons.put(path.path("path").asText(), new Reason(path.path("reason").asText(""),
          path.path("detail").asText("")));
    }
    String slimImageId = root.path("slimImageId").asText("");
    try {
      return new WhyKept(slimImageId.isEmpty() ? Optional.empty() : Optional.of(Digest.parse(slimImageId)), reasons);
    } catch (IllegalArgumentException e) {
      throw new BuildException(FailureKind.BAD_INPUT, "--report " + report + ": its slimImageId " + e.getMessage());
    }
  }
}
