package io.minify.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestTest {
  /** SHA-256 of "abc" (FIPS 180-2's example). */
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void readsAndWritesTheTextImagesUse() {
    Digest d = Digest.parse("sha256:" + ABC);
    assertEquals(new Digest(Digest.Algorithm.SHA256, ABC), d);
    assertEquals("sha256:" + ABC, d.toString());
    assertEquals(ABC, d.hex());
  }

  @Test
  void hashesBytesAndStreamedContentAlike() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Digest.parse("sha256:" + ABC), Digest.sha256Of(abc));
    MessageDigest hasher = Digest.Algorithm.SHA256.newHasher();
    hasher.update(abc, 0, 1);
    hasher.update(abc, 1, 2);
    assertEquals(Digest.sha256Of(abc), Digest.of(hasher));
  }

  @Test
  void aMalformedDigestIsRefusedNamingIt() {
    for (String bad : List.of("", "sha256:", "sha256:xyz", "sha256:" + ABC.toUpperCase(), "sha256:" + ABC + "0",
        "sha512:" + ABC, ABC, "sha256" + ABC, " sha256:" + ABC)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad), bad);
      assertEquals("'" + bad + "' is not sha256:<64 hex digits>", e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Digest(Digest.Algorithm.SHA256, "abc"));
    assertEquals("'sha256:abc' is not sha256:<64 hex digits>", e.getMessage());
  }

  @Test
  void jsonWritesItAsItsText() throws Exception {
    assertEquals("{\"id\":\"sha256:" + ABC + "\"}",
        new ObjectMapper().writeValueAsString(Map.of("id", Digest.parse("sha256:" + ABC))));
  }
}
