package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of {@code minify build} that needs no engine: exit 2, one line that names the
 * bad option and what is wrong with it, and the engine is never asked for (the supplier fails
 * the test if it is). The integration tests show the same refusals leave nothing behind.
 */
class BuildRefusalsTest {

  @TempDir
  static Path tmp;

  private static final Supplier<ContainerEngine> NO_ENGINE = () -> {
    throw new AssertionError("option validation must not need the engine");
  };

  /** Each case: the start of the message after "minify: error: ", then the arguments after IMAGE. */
  static Stream<Arguments> refusals() throws Exception {
    Path emptyExecFile = Files.writeString(tmp.resolve("empty.exec"), "# nothing\n");
    Path notADir = Files.writeString(tmp.resolve("file"), "x");
    Path fullDir = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(fullDir.resolve("x"), "x");
    Path badEnv = Files.writeString(tmp.resolve("bad.env"), "OK=1\n=nokey\n");
    Path badList = Files.writeString(tmp.resolve("bad.list"), "/ok\nrelative/path\n");
    String missing = tmp.resolve("missing").toString();
    Path typo = Files.writeString(tmp.resolve("typo.json"), "{\"scenarios\": [{\"name\": \"web\", \"prob\": []}]}");
    Path badProbe = Files.writeString(tmp.resolve("probe.json"),
        "{\"scenarios\": [{\"name\": \"web\"}, {\"name\": \"worker\", \"probes\": [\"FETCH\"]}]}");
    Path execMode = Files.writeString(tmp.resolve("exec.json"),
        "{\"scenarios\": [{\"name\": \"a\", \"continueAfter\": \"exec\"}]}");
    List<Arguments> cases = new ArrayList<>(List.of(
        // output
        refused("--no-load needs --output-tar or --output-oci", "--no-load"),
        refused("--output-tar: cannot write to " + missing + "/x.tar", "--output-tar", missing + "/x.tar"),
        refused("--output-tar: cannot write to " + fullDir, "--output-tar", fullDir.toString()),
        refused("--output-oci: " + fullDir + " exists and is not an empty directory", "--output-oci",
            fullDir.toString()),
        refused("--output-oci: cannot write to " + missing + "/oci", "--output-oci", missing + "/oci"),
        refused("--seccomp-profile " + missing + "/p.json: not a file in an existing directory", "--seccomp-profile",
            missing + "/p.json"),
        refused("--seccomp-profile " + fullDir + ": not a file in an existing directory", "--seccomp-profile",
            fullDir.toString()),
        refused("--seccomp-profile records the syscalls of the app's own processes, and --exec commands run beside"
            + " them", "--seccomp-profile", tmp.resolve("p.json").toString(), "--exec", "true"),
        refused("--tag: ", "--tag", "Upper:1"),
        // root may write anywhere by access(2), but not into /proc: the check tries for real
        refused("--output-tar: cannot write to /proc/x.tar", "--output-tar", "/proc/x.tar"),
        refused("--report: cannot write to " + missing + "/r.json", "--report", missing + "/r.json"),
        // probing
        refused("--http-probe-cmd: ", "--http-probe-cmd", "FETCH"),
        refused("--http-probe-cmd-file: ", "--http-probe-cmd-file", missing),
        refused("--http-probe-ports: 70000 is not a TCP port (1-65535)", "--http-probe-ports", "70000"),
        refused("--start-timeout must be a positive number of seconds", "--start-timeout", "0"),
        refused("--http-probe-start-wait must not be negative", "--http-probe-start-wait", "-1"),
        refused("--http-probe-retry-count must not be negative", "--http-probe-retry-count", "-1"),
        refused("--http-probe-retry-wait must be 0 to 3600 seconds", "--http-probe-retry-wait", "4000"),
        refused("--http-probe-request-timeout must be 1 to 3600 seconds", "--http-probe-request-timeout", "0"),
        refused("--http-probe-request-timeout must be 1 to 3600 seconds", "--http-probe-request-timeout", "3601"),
        refused("--http-crawl-max-depth must be >= 0", "--http-crawl-max-depth", "-1"),
        refused("--tcp-probe: ", "--tcp-probe", "notaport"),
        refused("--continue-after: ", "--continue-after", "forever"),
        refused("--continue-after exec: there is no --exec or --exec-file command", "--continue-after", "exec"),
        refused("--http-probe-cmd needs HTTP probing, which --http-probe-off turns off", "--http-probe-off",
            "--http-probe-cmd", "GET:/x", "--continue-after", "timeout:1"),
        refused("--http-probe-off: nothing would drive the app", "--http-probe-off"),
        refused("--http-probe-apispec: " + notADir + " ", "--http-probe-apispec", notADir.toString()),
        refused("--http-probe-apispec: 'no such' is neither a file nor a URL path", "--http-probe-apispec",
            "no such"),
        refused("--exec-file: cannot read " + missing, "--exec-file", missing),
        refused("--exec-file: " + emptyExecFile + " holds no command", "--exec-file", emptyExecFile.toString()),
        refused("--exec", "--exec", "[\"redis-cli\""),
        // scenarios
        refused("--scenarios " + missing + ": cannot read it", "--scenarios", missing),
        refused("--scenarios " + typo + ": scenario 'web': unknown field 'prob'", "--scenarios", typo.toString()),
        refused("--scenarios " + badProbe + ": scenario 'worker': field 'probes': ", "--scenarios",
            badProbe.toString()),
        refused("--scenarios " + execMode + ": scenario 'a': field 'continueAfter': exec, but the scenario has no"
            + " command", "--scenarios", execMode.toString()),
        // temporary containers
        refused("--network host: minify reaches the app only through ports published on 127.0.0.1", "--network",
            "host"),
        refused("--user: the user must not be empty", "--user", ""),
        refused("--expose: ", "--expose", "53/udp"),
        refused("--publish-port: '0.0.0.0:80:80': ports are published on 127.0.0.1 only", "--publish-port",
            "0.0.0.0:80:80"),
        refused("--env: ", "--env", "=x"),
        refused("--env-file " + missing + ": cannot read it", "--env-file", missing),
        refused("--env-file " + badEnv + " line 2: ", "--env-file", badEnv.toString()),
        refused("--mount: ", "--mount", "type=bind,source=" + missing + ",target=/x"),
        refused("--entrypoint: the entrypoint must not be empty", "--entrypoint", "[]"),
        refused("--workdir: ", "--workdir", "relative"),
        // CI gates
        refused("--fail-if-ratio-below 'x'", "--fail-if-ratio-below", "x"),
        refused("--fail-if-ratio-below '0'", "--fail-if-ratio-below", "0"),
        refused("--max-size: ", "--max-size", "lots"),
        // keep rules
        refused("--exclude-pattern: '/srv/[ab': unclosed '['", "--exclude-pattern", "/srv/[ab"),
        refused("--include-path 'etc/ssl': must be an absolute path inside the image", "--include-path", "etc/ssl"),
        refused("--include-exe '/bin/ls': give a program name", "--include-exe", "/bin/ls"),
        refused("--include-path-file " + missing + ": cannot read it", "--include-path-file", missing),
        refused("--include-path-file " + badList + " line 2 'relative/path'", "--include-path-file",
            badList.toString()),
        refused("Invalid value for option '--keep-state-trees'", "--keep-state-trees=maybe"),
        // new image config
        refused("--new-user: the user must not be empty", "--new-user", ""),
        refused("--new-entrypoint: ", "--new-entrypoint", "[]"),
        refused("--new-workdir: ", "--new-workdir", "relative"),
        refused("--new-env: ", "--new-env", "=x"),
        refused("--new-expose: ", "--new-expose", "http"),
        refused("--remove-env: ", "--remove-env", "A=1"),
        refused("--new-volume: ", "--new-volume", "data")));
    cases.add(Arguments.of("IMAGE must not be empty", new String[] {""}, true));
    cases.add(refused("--work-dir: ", "--work-dir", notADir + "/sub"));
    return cases.stream();
  }

  private static Arguments refused(String messageStart, String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "img:1";
    System.arraycopy(options, 0, args, 1, options.length);
    return Arguments.of(messageStart, args, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void isRefusedOnOneLineWithoutTheEngine(String messageStart, String[] args, boolean imageOnly) {
    List<String> argv = new ArrayList<>(List.of("build"));
    argv.addAll(List.of(args));
    CliRun run = CliRun.withEngine(NO_ENGINE, argv.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.toString());
    List<String> lines = run.err().strip().lines().toList();
    assertEquals(1, lines.size(), run.toString());
    assertTrue(lines.get(0).startsWith("minify: error: " + messageStart), run.toString());
    assertTrue(lines.get(0).length() > ("minify: error: " + messageStart).length() || imageOnly, run.toString());
  }
}
