package io.minify.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.digest.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code minify merge} accepts as an earlier report, and the one line for each it refuses. */
class EarlierReportTest {
  private static final String ID = "sha256:" + "a".repeat(64);

  @TempDir
  Path tmp;

  private static String report(String imageId, String runs) {
    return "{\"minifyVersion\":\"1.2\",\"image\":\"app:1\",\"imageId\":\"" + imageId + "\","
        + "\"kept\":[{\"path\":\"/etc/app.conf\",\"reason\":\"observed\",\"detail\":\"\",\"bytes\":12}],"
        + "\"runs\":" + runs + "}";
  }

  private static final String ONE_RUN = "[{\"name\":\"\",\"settings\":{\"env\":[\"A=1\"],\"entrypoint\":null,\"cmd\":null,"
      + "\"workdir\":null,\"user\":null,\"network\":null,\"mounts\":[],\"exposedPorts\":[],\"fixedHostPorts\":{}},"
      + "\"probing\":{\"startTimeoutMillis\":60000,\"startWaitMillis\":0,\"retries\":2,\"retryWaitMillis\":500,"
      + "\"requestTimeoutMillis\":30000,\"loosePaths\":[]},"
      + "\"http\":[{\"protocol\":\"auto\",\"method\":\"POST\",\"path\":\"/\",\"port\":8080,\"headers\":{\"X\":\"y\"},"
      + "\"body\":\"AAH/\",\"source\":\"cmd\",\"first\":{\"protocol\":\"http\",\"status\":200,\"bodyBytes\":3,"
      + "\"bodySha256\":\"00\",\"millis\":1,\"attempts\":1,\"error\":null,\"mediaType\":\"text/plain\","
      + "\"shape\":\"\",\"json\":\"\"},\"second\":{\"protocol\":\"http\",\"status\":200,\"bodyBytes\":3,"
      + "\"bodySha256\":\"00\",\"millis\":1,\"attempts\":1,\"error\":null,\"mediaType\":\"text/plain\","
      + "\"shape\":\"\",\"json\":\"\"}}],\"tcp\":[],\"exec\":[],"
      + "\"ending\":{\"continuedAfter\":\"probe\",\"appExited\":false,\"readyPorts\":[],\"unreadyPorts\":[],"
      + "\"otherPorts\":[],\"crawledPages\":[],\"crawlTruncated\":false,\"crawlSkipped\":[]},"
      + "\"access\":{\"files\":[\"/etc/app.conf\"],\"directories\":[],\"executed\":[],\"written\":[],"
      + "\"processUids\":[0],\"events\":3}}]";

  private Path file(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void aBuildsReportIsReadWithItsImageKeptPathsAndRuns() throws Exception {
    EarlierReport r = EarlierReport.read(file("r1.json", report(ID, ONE_RUN)), "r1.json");
    assertEquals(Digest.parse(ID), r.imageId());
    assertEquals("app:1", r.image());
    assertEquals(List.of(new BuildReport.KeptPath("/etc/app.conf", "observed", "", 12)), r.kept());
    RecordedRun run = r.runs().get(0);
    assertEquals(List.of("A=1"), run.settings().env());
    assertEquals(Map.of("X", "y"), run.http().get(0).headers());
    assertEquals(List.of(0, 1, -1), List.of((int) run.http().get(0).body()[0], (int) run.http().get(0).body()[1],
        (int) run.http().get(0).body()[2]), "the request body's bytes, as bytes");
    assertEquals(List.of("/etc/app.conf"), run.access().files());
  }

  @Test
  void eachBadReportIsOneLineNamingIt() throws Exception {
    assertRefused("gone.json: no such file", tmp.resolve("gone.json"));
    assertRefused("r.json is not JSON: ", file("r.json", "{\"kept\": [1,"));
    assertRefused("r.json is not a minify report: not a JSON object", file("r.json", "[1, 2]"));
    assertRefused("r.json is not a minify build report: it has no imageId, kept and minifyVersion",
        file("r.json", "{\"name\": \"something else\"}"));
    assertRefused("r.json is the report of a failed build (verify: verify: the slim image answered differently)",
        file("r.json", "{\"minifyVersion\":\"1\",\"image\":\"app:1\",\"failed\":true,\"stage\":\"verify\","
            + "\"message\":\"verify: the slim image answered differently\"}"));
    assertRefused("r.json was written by minify 1.2, before reports recorded their runs",
        file("r.json", report(ID, "[]").replace(",\"runs\":[]", "")));
    assertRefused("r.json is not a minify build report as this version writes it: ",
        file("r.json", report("sha256:nothex", ONE_RUN)));
    assertRefused("r.json is not a minify build report as this version writes it: ",
        file("r.json", report(ID, ONE_RUN.replace("\"retries\":2", "\"retries\":\"many\""))));
    assertRefused("r.json is not a minify build report as this version writes it: runs[0] lacks a field",
        file("r.json", report(ID, ONE_RUN.replace("\"tcp\":[],", ""))));
  }

  private static void assertRefused(String start, Path file) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EarlierReport.read(file, file.getFileName().toString()));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertEquals(start, e.getMessage().substring(0, Math.min(start.length(), e.getMessage().length())),
        e.getMessage());
  }

  @Test
  void reportsOfAnotherImageOrGivenTwiceAreRefusedByName() throws Exception {
    EarlierReport r1 = EarlierReport.read(file("r1.json", report(ID, ONE_RUN)), "r1.json");
    EarlierReport r2 = EarlierReport.read(file("r2.json", report("sha256:" + "b".repeat(64), ONE_RUN)), "r2.json");
    EarlierReport.checkOneImage(List.of(r1));
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> EarlierReport.checkOneImage(List.of(r1, r2)));
    assertEquals("r2.json is a report of image sha256:" + "b".repeat(64) + " (app:1), r1.json of " + ID
        + " (app:1): merge takes reports of one image", other.getMessage());
    assertEquals("r1.json is given twice",
        assertThrows(IllegalArgumentException.class, () -> EarlierReport.checkOneImage(List.of(r1, r1)))
            .getMessage());
    assertEquals("no reports to merge",
        assertThrows(IllegalArgumentException.class, () -> EarlierReport.checkOneImage(List.of())).getMessage());
  }
}
