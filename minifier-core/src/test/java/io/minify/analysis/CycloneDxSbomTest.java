package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.digest.Digest;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycloneDxSbomTest {
  @TempDir
  Path dir;

  private String sbom() throws Exception {
    SavedImage saved = SyntheticImage.saved(dir);
    try (LayeredImageFilesystem fs = SyntheticImage.open(saved)) {
      return new CycloneDxSbom("0.1.0").toJson("synthetic:1", Digest.sha256Of(saved.config()), fs);
    }
  }

  @Test
  void theSbomValidatesAgainstTheCycloneDxSchema() throws Exception {
    String json = sbom();
    assertEquals(List.of(), new JsonParser().validate(json.getBytes(StandardCharsets.UTF_8), CycloneDxSbom.SPEC));
    assertEquals(json, sbom(), "no serial number, no timestamp: the same image gives the same bytes");
  }

  @Test
  void packagesComeFromTheDatabaseAndUnownedFilesCarryTheirDigest() throws Exception {
    JsonNode bom = new ObjectMapper().readTree(sbom());
    List<String> purls = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (JsonNode component : bom.path("components")) {
      if (component.path("type").asText().equals("library")) {
        purls.add(component.path("purl").asText());
      } else if (component.path("type").asText().equals("file")) {
        files.add(component.path("name").asText());
        assertEquals("SHA-256", component.path("hashes").get(0).path("alg").asText());
      }
    }
    assertEquals(List.of("pkg:deb/debian/libc6@2.36-9?arch=amd64", "pkg:deb/debian/tool@1.0-1?arch=amd64"), purls);
    assertEquals(List.of("/srv/app.py", "/srv/run", "/var/lib/dpkg/info/libc6:amd64.list",
        "/var/lib/dpkg/info/tool.list", "/var/lib/dpkg/status"), files, "what no package lists");
    assertEquals("container", bom.path("metadata").path("component").path("type").asText());
    assertTrue(bom.path("metadata").path("tools").path("components").get(0).path("name").asText().equals("minify"));
  }
}
