package io.minify.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.path.UnixPath;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads the layers of a docker-archive ({@code docker save}, {@code --output-tar}) in tests. */
final class SavedLayers {

  private SavedLayers() {}

  /** One layer member: its header as written, and its content. */
  record Member(TarHeader header, byte[] content) {}

  /** The members of the archive's last layer (a slim image's only one), by path. */
  static Map<UnixPath, Member> lastLayer(InputStream dockerArchive) throws IOException {
    TarReader archive = new TarReader(dockerArchive);
    Map<String, byte[]> files = new HashMap<>();
    TarHeader h;
    while ((h = archive.next()) != null) {
      if (h.isRegularFile()) {
        files.put(new String(h.name(), StandardCharsets.UTF_8), archive.content().readAllBytes());
      }
    }
    JsonNode layers = new ObjectMapper().readTree(files.get("manifest.json")).get(0).get("Layers");
    TarReader reader = new TarReader(new ByteArrayInputStream(files.get(layers.get(layers.size() - 1).asText())));
    Map<UnixPath, Member> members = new HashMap<>();
    while ((h = reader.next()) != null) {
      members.put(UnixPath.ofEntryName(h.name()).orElseThrow(), new Member(h, reader.content().readAllBytes()));
    }
    return members;
  }
}
