package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void defaultAppendsSlimToTheRepository() {
    assertEquals("app.slim:1.0", ImageReference.slimDefault("app:1.0", List.of()).toString());
    assertEquals("minify-sample/go-http.slim:1.0", ImageReference.slimDefault("minify-sample/go-http:1.0", List.of()).toString());
  }

  @Test
  void missingTagMeansLatest() {
    assertEquals("app.slim:latest", ImageReference.slimDefault("app", List.of()).toString());
  }

  @Test
  void registryPortIsNotATag() {
    assertEquals("localhost:5000/app.slim:latest", ImageReference.slimDefault("localhost:5000/app", List.of()).toString());
  }

  @Test
  void imageIdUsesTheFirstRepoTag() {
    assertEquals("web.slim:2", ImageReference.slimDefault("sha256:" + "a".repeat(64), List.of("web:2")).toString());
    assertEquals("minify.slim:latest", ImageReference.slimDefault("0123456789ab", List.of()).toString());
  }

  @Test
  void digestReferenceDropsTheDigest() {
    assertEquals("app.slim:latest", ImageReference.slimDefault("app@sha256:" + "b".repeat(64), List.of()).toString());
  }

  @Test
  void invalidNamesAreRejectedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("App:1"));
    assertTrue(e.getMessage().contains("'App' is not a valid image repository name"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("app:-x"));
    assertTrue(e.getMessage().contains("'-x' is not a valid image tag"), e.getMessage());
  }

  @Test
  void anArchiveTagIsRepositoryColonTagWithLatestByDefault() {
    assertEquals("app.slim:latest", ImageReference.parse("app.slim").toString());
    assertEquals("localhost:5000/team/app:2", ImageReference.parse("localhost:5000/team/app:2").toString());
    assertEquals("localhost:5000/app:latest", ImageReference.parse("localhost:5000/app").toString());
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("a b:1"));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("app@sha256:" + "c".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("app:1:2"));
  }
}
