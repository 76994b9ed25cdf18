package io.minify.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.digest.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Digest SOURCE = Digest.parse("sha256:" + "ab".repeat(32));

  private static ObjectNode original() throws Exception {
    return (ObjectNode) JSON.readTree(DockerArchiveWriterTest.resource("original-config.json"));
  }

  private static ConfigChanges everything() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("team", "web");
    labels.put("org.opencontainers.image.title", "demo-slim");
    return new ConfigChanges(List.of("/usr/bin/python3", "-m"), List.of("http.server", "9090"), "/srv/www", "1000:1000",
        List.of("LANG=en_US.UTF-8", "MODE=slim", "EMPTY="), labels, List.of("9090/tcp", "53/udp"), List.of("/data"),
        List.of("PATH"), List.of(), List.of("8080/tcp"), List.of());
  }

  @Test
  void everyFlagChangesItsFieldAndNothingElse() throws Exception {
    ObjectNode changed = everything().asMutation(SOURCE, "9.9.9").apply(original());
    JsonNode golden = JSON.readTree(DockerArchiveWriterTest.resource("expected-config-changes.json"));
    // field by field, so a failure names the field; then the order of the fields
    assertEquals(fieldNames(golden), fieldNames(changed));
    golden.fieldNames().forEachRemaining(f -> {
      if (!f.equals("config")) {
        assertEquals(golden.get(f), changed.get(f), f);
      }
    });
    JsonNode want = golden.get("config");
    JsonNode got = changed.get("config");
    assertEquals(fieldNames(want), fieldNames(got), "config fields and their order");
    want.fieldNames().forEachRemaining(f -> assertEquals(want.get(f), got.get(f), "config." + f));
  }

  @Test
  void noChangesStillAddProvenanceLabelsOnly() throws Exception {
    ObjectNode before = original();
    ObjectNode after = ConfigChanges.none().asMutation(SOURCE, "0.1.0").apply(original());
    ObjectNode labels = (ObjectNode) after.path("config").path("Labels");
    assertEquals(SOURCE.toString(), labels.path(ConfigChanges.SOURCE_IMAGE_LABEL).asText());
    assertEquals("0.1.0", labels.path(ConfigChanges.VERSION_LABEL).asText());
    labels.remove(List.of(ConfigChanges.SOURCE_IMAGE_LABEL, ConfigChanges.VERSION_LABEL));
    assertEquals(before, after);
  }

  @Test
  void removalsDropFieldsAndEntrypointAloneClearsCmd() throws Exception {
    ConfigChanges c = new ConfigChanges(List.of("/bin/true"), null, null, null, List.of(), Map.of(), List.of(),
        List.of(), List.of("LANG", "NOT_THERE"), List.of("org.opencontainers.image.title"), List.of("8080/tcp"),
        List.of("/not-declared"));
    JsonNode config = c.asMutation(SOURCE, "v").apply(original()).get("config");
    assertEquals("[\"/bin/true\"]", config.get("Entrypoint").toString());
    assertEquals("null", config.get("Cmd").toString(), "a new entrypoint drops the old cmd, as a Dockerfile does");
    assertEquals("[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]", config.get("Env").toString());
    assertEquals("null", config.get("ExposedPorts").toString());
    assertEquals("{\"io.minify.source-image\":\"" + SOURCE + "\",\"io.minify.version\":\"v\"}",
        config.get("Labels").toString());
  }

  @Test
  void sameChangesGiveSameBytes() throws Exception {
    byte[] a = JSON.writeValueAsBytes(everything().asMutation(SOURCE, "1").apply(original()));
    byte[] b = JSON.writeValueAsBytes(everything().asMutation(SOURCE, "1").apply(original()));
    assertEquals(new String(a), new String(b));
  }

  @Test
  void parsersNameTheBadPart() {
    assertEquals("'FOO' is not KEY=VALUE",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parseKeyValue("FOO")).getMessage());
    assertEquals("'=x' is not KEY=VALUE",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parseKeyValue("=x")).getMessage());
    assertEquals("'A B' in 'A B=1' is not a valid name (no spaces)",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parseKeyValue("A B=1")).getMessage());
    assertEquals("A", ConfigChanges.parseKeyValue("A=b=c")[0]);
    assertEquals("b=c", ConfigChanges.parseKeyValue("A=b=c")[1]);
    assertEquals("8080/tcp", ConfigChanges.parsePort("8080"));
    assertEquals("53/udp", ConfigChanges.parsePort("53/UDP"));
    assertEquals("port 70000 is not between 1 and 65535",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parsePort("70000")).getMessage());
    assertEquals("'http' is not PORT[/tcp|udp|sctp]",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parsePort("http")).getMessage());
    assertEquals(List.of("/bin/sh", "-c", "echo a b"), ConfigChanges.parseCommand("[\"/bin/sh\",\"-c\",\"echo a b\"]"));
    assertEquals(List.of("/server", "--port", "80"), ConfigChanges.parseCommand(" /server  --port 80 "));
    assertEquals(List.of("python", "-c", "print(1)"), ConfigChanges.parseCommand("python -c \"print(1)\""));
    assertEquals("'python -c \"print(1)': the \" quote at character 11 is not closed", assertThrows(
        IllegalArgumentException.class, () -> ConfigChanges.parseCommand("python -c \"print(1)")).getMessage());
    assertEquals(List.of(), ConfigChanges.parseCommand("[]"));
    assertEquals("'[\"a\", 1]' is not a JSON array of strings",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parseCommand("[\"a\", 1]")).getMessage());
    assertEquals("'srv' is not an absolute path",
        assertThrows(IllegalArgumentException.class, () -> ConfigChanges.parseAbsolutePath("srv")).getMessage());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
