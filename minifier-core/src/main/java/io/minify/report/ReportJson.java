package io.minify.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a {@link BuildReport} or a {@link FailureReport} as JSON (field order as declared in the records). */
public final class ReportJson {

  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson(BuildReport report) {
    return json(report);
  }

  public String toJson(FailureReport report) {
    return json(report);
  }

  /** Writes atomically: a reader never sees half a report. */
  public void write(BuildReport report, Path file) throws IOException {
    writeAtomically(json(report), file);
  }

  /** Writes atomically, replacing whatever an earlier build left at {@code file}. */
  public void write(FailureReport report, Path file) throws IOException {
    writeAtomically(json(report), file);
  }

  private String json(Record report) {
    try {
      return mapper.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is not serialisable", e);
    }
  }

  private static void writeAtomically(String json, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), ".minify-report", ".tmp");
    try {
      Files.writeString(tmp, json + "\n");
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
