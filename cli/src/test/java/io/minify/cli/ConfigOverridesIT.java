package io.minify.cli;

import static io.minify.cli.OutputArtifactsIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.pipeline.MinifyVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code --new-*} and {@code --remove-*} flags end to end: they change exactly the
 * fields they name (compared field by field with the original image's config as the engine
 * reports it), the slim image is verified with its NEW config, and bad values are refused
 * before anything starts.
 */
class ConfigOverridesIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/static-scratch:1.0";
  private static final String TAG = "minify-it/config-scratch:1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void cleanUp() throws IOException {
    TestImages.untag(TAG);
  }

  @Test
  void overridesChangeTheirFieldsAndNothingElse() throws Exception {
    CliRun build = build("--new-entrypoint", "[\"/server\"]", "--new-cmd", "[\"--quiet\"]",
        "--new-env", "SITE_ROOT=/site", "--new-env", "MODE=slim", "--remove-env", "PATH",
        "--new-workdir", "/site", "--new-user", "65534", "--new-expose", "9090",
        "--new-label", "team=web", "--new-volume", "/cache", "--remove-label", "not-there");
    assertEquals(0, build.exitCode(), build.toString());
    Leftovers.assertNone(engine, workRoot);

    ObjectNode expected = (ObjectNode) config(IMAGE);
    String sourceId = engine.images().inspectImage(IMAGE).orElseThrow().id().toString();
    expected.set("Entrypoint", JSON.readTree("[\"/server\"]"));
    expected.set("Cmd", JSON.readTree("[\"--quiet\"]"));
    expected.set("Env", JSON.readTree("[\"SITE_ROOT=/site\",\"MODE=slim\"]"));
    expected.put("WorkingDir", "/site");
    expected.put("User", "65534");
    expected.set("ExposedPorts", JSON.readTree("{\"8080/tcp\":{},\"9090/tcp\":{}}"));
    expected.set("Volumes", JSON.readTree("{\"/cache\":{}}"));
    expected.set("Labels", JSON.readTree("{\"io.minify.source-image\":\"" + sourceId + "\",\"io.minify.version\":\""
        + MinifyVersion.current() + "\",\"team\":\"web\"}"));
    JsonNode actual = config(TAG);
    TreeSet<String> fields = new TreeSet<>();
    expected.fieldNames().forEachRemaining(fields::add);
    actual.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      assertEquals(expected.get(field), actual.get(field), "Config." + field);
    }
    OutputArtifactsIT.assertServes(TAG);
  }

  @Test
  void verificationRunsTheNewEntrypoint() throws Exception {
    CliRun build = build("--new-entrypoint", "/no/such/server");
    assertEquals(1, build.exitCode(), build.toString());
    assertTrue(build.err().startsWith("minify: error: verify: the slim image does not work"), build.toString());
    assertFalse(engine.images().inspectImage(TAG).isPresent(), "a failed verification leaves no tag");
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void badValuesAreRejectedBeforeAnythingStarts() throws Exception {
    expectBadInput("--new-env: 'FOO' is not KEY=VALUE", "--new-env", "FOO");
    expectBadInput("--new-env: 'A B' in 'A B=1' is not a valid name (no spaces)", "--new-env", "A B=1");
    expectBadInput("--new-label: '=x' is not KEY=VALUE", "--new-label", "=x");
    expectBadInput("--new-expose: 'http' is not PORT[/tcp|udp|sctp]", "--new-expose", "http");
    expectBadInput("--new-workdir: 'site' is not an absolute path", "--new-workdir", "site");
    expectBadInput("--new-volume: 'cache' is not an absolute path", "--new-volume", "cache");
    expectBadInput("--new-entrypoint: '[\"/a\", 1]' is not a JSON array of strings", "--new-entrypoint", "[\"/a\", 1]");
    expectBadInput("--remove-env: 'A=1' is not a name (give the name only, without '=')", "--remove-env", "A=1");
  }

  private void expectBadInput(String message, String... extra) throws Exception {
    CliRun run = build(extra);
    assertRefused(run, message, TAG);
  }

  private CliRun build(String... extra) {
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", TAG, "--no-report", "--quiet",
        "--work-dir", workRoot.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static JsonNode config(String image) throws Exception {
    return JSON.readTree(run("docker", "image", "inspect", "--format", "{{json .Config}}", image));
  }
}
