package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlimTagTest {

  @Test
  void defaultAppendsSlimToTheRepository() {
    assertEquals("app.slim:1.0", SlimTag.defaultFor("app:1.0", List.of()).toString());
    assertEquals("minify-sample/go-http.slim:1.0", SlimTag.defaultFor("minify-sample/go-http:1.0", List.of()).toString());
  }

  @Test
  void missingTagMeansLatest() {
    assertEquals("app.slim:latest", SlimTag.defaultFor("app", List.of()).toString());
  }

  @Test
  void registryPortIsNotATag() {
    assertEquals("localhost:5000/app.slim:latest", SlimTag.defaultFor("localhost:5000/app", List.of()).toString());
  }

  @Test
  void imageIdUsesTheFirstRepoTag() {
    assertEquals("web.slim:2", SlimTag.defaultFor("sha256:" + "a".repeat(64), List.of("web:2")).toString());
    assertEquals("minify.slim:latest", SlimTag.defaultFor("0123456789ab", List.of()).toString());
  }

  @Test
  void digestReferenceDropsTheDigest() {
    assertEquals("app.slim:latest", SlimTag.defaultFor("app@sha256:" + "b".repeat(64), List.of()).toString());
  }

  @Test
  void invalidNamesAreRejectedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlimTag.parse("App:1"));
    assertTrue(e.getMessage().contains("'App' is not a valid image repository name"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SlimTag.parse("app:-x"));
    assertTrue(e.getMessage().contains("'-x' is not a valid image tag"), e.getMessage());
  }
}
