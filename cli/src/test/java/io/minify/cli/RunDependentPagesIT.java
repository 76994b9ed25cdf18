package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page that shows when the app started (the java-http sample's /started, to the millisecond,
 * with a message of the day read from a file at each request) is the same within a run and
 * different in the next: the slim run's answer differs from the watched run's in the body
 * alone. minify runs the original a second time, finds the page run-dependent, compares it
 * on what both runs kept, and builds; the same build with the message's file really missing
 * (excluded) still fails, and says where the bodies differ.
 */
class RunDependentPagesIT extends RealEngineTest {

  private static final String IMAGE = "minify-sample/java-http:1.0";
  private Path report;
  private final List<String> tags = new ArrayList<>();

  @BeforeEach
  void files() throws Exception {
    report = Files.createTempFile("minify-it-rundep", ".json");
  }

  @AfterEach
  void cleanUp() throws Exception {
    Files.deleteIfExists(report);
    tags.forEach(TestImages::untag);
  }

  @Test
  void aPageThatShowsItsStartTimeIsRunDependentAndTheBuildPasses() throws Exception {
    CliRun run = build("started", "--http-probe-cmd", "GET:/started");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode started = probe("GET :8080/started");
    assertTrue(started.get("matches").asBoolean(), started.toString());
    assertTrue(started.get("runDependent").asBoolean(), "a second run of the original answered otherwise: " + started);
    assertEquals("shape", started.get("comparedOn").asText(), started.toString());
    assertTrue(started.get("bodyStable").asBoolean(), "the same within one run: " + started);
    assertTrue((run.out() + run.err()).contains("run-dependent"), run.toString());
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void theSamePageWithItsFileReallyMissingStillFails() throws Exception {
    CliRun run = build("missing", "--http-probe-cmd", "GET:/started", "--exclude-pattern", "/app/data/motd.txt");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("GET :8080/started: body differs beyond its numbers at byte "), run.err());
    assertTrue(run.err().contains("cannot read the message of the day"),
        "the slim side of the excerpt shows the app's error: " + run.err());
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void chosenPathsAreComparedOnStatusAndTypeWithoutASecondRun() throws Exception {
    CliRun run = build("loose", "--http-probe-cmd", "GET:/started", "--verify-loose", "/start*");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode started = probe("GET :8080/started");
    assertEquals("type", started.get("comparedOn").asText(), started.toString());
    assertTrue(!started.get("runDependent").asBoolean(), "not confirmed: the user chose " + started);
    Leftovers.assertNone(engine, workRoot);
  }

  private JsonNode probe(String name) throws Exception {
    for (JsonNode p : new ObjectMapper().readTree(report.toFile()).get("probes")) {
      if (p.get("probe").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no probe " + name + " in " + Files.readString(report));
  }

  private CliRun build(String variant, String... extra) {
    String tag = "minify-it/rundep-" + variant + ".slim:1";
    tags.add(tag);
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", tag, "--report", report.toString(),
        "--work-dir", workRoot.toString(), "--no-http-probe-crawl"));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }
}
