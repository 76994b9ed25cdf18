package io.minify.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes {@link ImageXray} and {@link ImageDiff} as indented JSON, fields in the order the
 * records declare them: the same analysis gives the same bytes (golden-file tests pin them).
 */
public final class AnalysisJson {
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson(Object analysis) {
    try {
      return mapper.writeValueAsString(analysis);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("analysis is not serialisable", e);
    }
  }
}
