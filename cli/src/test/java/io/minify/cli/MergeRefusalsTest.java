package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.engine.ContainerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of {@code minify merge} that needs no engine: exit 2, one line naming the bad
 * report or option, and the engine is never asked for. {@code MergeIT} shows an image no longer
 * in the engine is refused too, and that nothing is left behind.
 */
class MergeRefusalsTest {

  @TempDir
  static Path tmp;

  private static final Supplier<ContainerEngine> NO_ENGINE = () -> {
    throw new AssertionError("reading the reports must not need the engine");
  };

  private static String report(String imageId) {
    return "{\"minifyVersion\":\"1.2\",\"image\":\"app:1\",\"imageId\":\"sha256:" + imageId.repeat(64) + "\","
        + "\"kept\":[],\"runs\":[" + RUN + "]}";
  }

  /** A run that probed nothing and opened nothing: enough to be read. */
  private static final String RUN = "{\"name\":\"\",\"settings\":{\"env\":[],\"mounts\":[],\"exposedPorts\":[],"
      + "\"fixedHostPorts\":{}},\"probing\":{\"startTimeoutMillis\":1000,\"startWaitMillis\":0,\"retries\":0,"
      + "\"retryWaitMillis\":0,\"requestTimeoutMillis\":1000,\"loosePaths\":[]},\"http\":[],\"tcp\":[],\"exec\":[],"
      + "\"ending\":{\"continuedAfter\":\"probe\",\"appExited\":false,\"readyPorts\":[],\"unreadyPorts\":[],"
      + "\"otherPorts\":[],\"crawledPages\":[],\"crawlTruncated\":false,\"crawlSkipped\":[]},"
      + "\"access\":{\"files\":[],\"directories\":[],\"executed\":[],\"written\":[],\"processUids\":[],"
      + "\"events\":0}}";

  static Stream<Arguments> refusals() throws Exception {
    Path r1 = Files.writeString(tmp.resolve("r1.json"), report("a"));
    Path other = Files.writeString(tmp.resolve("other.json"), report("b"));
    Path notJson = Files.writeString(tmp.resolve("notes.txt"), "kept: everything\n");
    Path failed = Files.writeString(tmp.resolve("failed.json"), "{\"minifyVersion\":\"1.2\",\"image\":\"app:1\","
        + "\"failed\":true,\"stage\":\"verify\",\"message\":\"verify: the slim image answered differently\"}");
    Path old = Files.writeString(tmp.resolve("old.json"), report("a").replace(",\"runs\":[" + RUN + "]", ""));
    String missing = tmp.resolve("missing.json").toString();
    return Stream.of(
        Arguments.of("Missing required parameter: 'REPORT' (see 'minify merge --help')", List.of()),
        Arguments.of(missing + ": no such file", List.of(missing)),
        Arguments.of(notJson + " is not JSON: ", List.of(r1.toString(), notJson.toString())),
        Arguments.of(failed + " is the report of a failed build (verify: verify: the slim image answered"
            + " differently): merge takes reports of builds that passed", List.of(failed.toString())),
        Arguments.of(old + " was written by minify 1.2, before reports recorded their runs: build again with this"
            + " minify to merge it", List.of(old.toString())),
        Arguments.of(other + " is a report of image sha256:" + "b".repeat(64) + " (app:1), " + r1 + " of sha256:"
            + "a".repeat(64) + " (app:1): merge takes reports of one image", List.of(r1.toString(), other.toString())),
        Arguments.of(r1 + " is given twice", List.of(r1.toString(), r1.toString())),
        Arguments.of("--report " + r1 + " is one of the reports to merge: name another file for the merge's own"
            + " report (see 'minify merge --help')", List.of(r1.toString(), "--report", r1.toString())),
        Arguments.of("--seccomp-profile records the syscalls of a watched run, and merge watches none: build with"
            + " --seccomp-profile instead (see 'minify merge --help')",
            List.of(r1.toString(), "--seccomp-profile", tmp.resolve("p.json").toString())),
        Arguments.of("--include-path 'etc/ssl': must be an absolute path inside the image",
            List.of(r1.toString(), "--include-path", "etc/ssl")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void isRefusedWithOneLine(String messageStart, List<String> args) throws Exception {
    String[] all = Stream.concat(Stream.of("merge", "--work-dir", tmp.resolve("work").toString()), args.stream())
        .toArray(String[]::new);
    CliRun run = CliRun.withEngine(NO_ENGINE, all);
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.err().lines().count(), run.toString());
    String line = run.err().strip();
    assertEquals("minify: error: " + messageStart, line.substring(0, Math.min(line.length(),
        ("minify: error: " + messageStart).length())), run.toString());
    assertEquals(List.of("failed.json", "notes.txt", "old.json", "other.json", "r1.json"),
        Files.list(tmp).map(p -> p.getFileName().toString()).filter(n -> !n.equals("p.json")).sorted().toList(),
        "no report written, no work directory made");
  }
}
