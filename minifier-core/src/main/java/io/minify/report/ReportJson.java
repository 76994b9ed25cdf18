package io.minify.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a {@link BuildReport} or a {@link FailureReport} as JSON (field order as declared in the records). */
public final class ReportJson {

  // A writer passed in stays open: it belongs to the caller (stdout, the report file).
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  public String toJson(BuildReport report) {
    return json(report);
  }

  public String toJson(FailureReport report) {
    return json(report);
  }

  /** Writes atomically: a reader never sees half a report. */
  public void write(BuildReport report, Path file) throws IOException {
    writeAtomically(report, file);
  }

  /** Writes atomically, replacing whatever an earlier build left at {@code file}. */
  public void write(FailureReport report, Path file) throws IOException {
    writeAtomically(report, file);
  }

  /**
   * Writes the same text as {@link #toJson} to {@code out} as it is serialised: the report
   * of a large image lists every kept path, and held as one string it would need several
   * times its size in memory at once.
   */
  public void write(BuildReport report, Writer out) throws IOException {
    mapper.writeValue(out, report);
  }

  /** {@link #write(BuildReport, Writer)} to a console, which reports no I/O errors itself. */
  public void print(BuildReport report, PrintWriter out) {
    try {
      write(report, out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is not serialisable", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String json(Record report) {
    try {
      return mapper.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is not serialisable", e);
    }
  }

  private void writeAtomically(Record report, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), ".minify-report", ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(tmp)) {
        mapper.writeValue(out, report);
        out.write("\n");
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
