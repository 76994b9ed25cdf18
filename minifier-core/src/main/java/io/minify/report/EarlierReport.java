package io.minify.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.minify.digest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of an earlier successful build, as {@code minify merge} reads it: the image it was
 * of, what it kept, and its watched runs ({@link RecordedRun}). Everything else of the report is
 * left unread.
 *
 * @param name          the report as the user named it ("r1.json"): messages and attribution use it
 * @param minifyVersion the version that wrote it
 * @param image         the image as its build was given it ("app:1")
 * @param imageId       the image's id then
 * @param kept          every path it kept, with the reason
 * @param runs          its runs: one, or one per scenario
 */
public record EarlierReport(String name, String minifyVersion, String image, Digest imageId,
    List<BuildReport.KeptPath> kept, List<RecordedRun> runs) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public EarlierReport {
    kept = List.copyOf(kept);
    runs = List.copyOf(runs);
  }

  /**
   * Reads {@code file}, named {@code name} in messages.
   *
   * @throws IllegalArgumentException one line naming the report and what is wrong with it: it
   *     cannot be read, is not JSON, is not a minify build report, is the report of a failed build,
   *     or was written before reports recorded their runs
   */
  public static EarlierReport read(Path file, String name) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(name + ": no such file");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(name + " is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": cannot read it: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(name + " is not a minify report: not a JSON object");
    }
    if (root.path("failed").asBoolean(false)) {
      throw new IllegalArgumentException(name + " is the report of a failed build (" + root.path("stage").asText()
          + ": " + root.path("message").asText() + "): merge takes reports of builds that passed");
    }
    if (!root.path("imageId").isTextual() || !root.path("kept").isArray() || !root.path("minifyVersion").isTextual()) {
      throw new IllegalArgumentException(name + " is not a minify build report: it has no imageId, kept and"
          + " minifyVersion");
    }
    String version = root.get("minifyVersion").asText();
    if (!root.path("runs").isArray() || root.get("runs").isEmpty()) {
      throw new IllegalArgumentException(name + " was written by minify " + version + ", before reports recorded"
          + " their runs: build again with this minify to merge it");
    }
    try {
      Digest id = Digest.parse(root.get("imageId").asText());
      List<BuildReport.KeptPath> kept = new ArrayList<>();
      for (JsonNode k : root.get("kept")) {
        kept.add(new BuildReport.KeptPath(text(k, "path"), text(k, "reason"), k.path("detail").asText(""),
            k.path("bytes").asLong(0)));
      }
      List<RecordedRun> runs = new ArrayList<>();
      for (JsonNode run : root.get("runs")) {
        try {
          runs.add(JSON.treeToValue(run, RecordedRun.class));
        } catch (ValueInstantiationException e) {
          // a list or object left out: the records refuse the null, whose message names no field
          throw new IllegalArgumentException("runs[" + runs.size() + "] lacks a field");
        }
      }
      return new EarlierReport(name, version, root.path("image").asText(""), id, kept, runs);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(name + " is not a minify build report as this version writes it: " + why);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("a kept path has no " + field);
    }
    return value.asText();
  }

  /**
   * Whether every report is of one image.
   *
   * @throws IllegalArgumentException naming the first report of another image than the first
   *     report's, or a report given twice
   */
  public static void checkOneImage(List<EarlierReport> reports) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no reports to merge");
    }
    EarlierReport first = reports.get(0);
    List<String> names = new ArrayList<>();
    for (EarlierReport r : reports) {
      if (names.contains(r.name())) {
        throw new IllegalArgumentException(r.name() + " is given twice");
      }
      names.add(r.name());
      if (!r.imageId().equals(first.imageId())) {
        throw new IllegalArgumentException(r.name() + " is a report of image " + r.imageId() + " (" + r.image()
            + "), " + first.name() + " of " + first.imageId() + " (" + first.image()
            + "): merge takes reports of one image");
      }
    }
  }
}
