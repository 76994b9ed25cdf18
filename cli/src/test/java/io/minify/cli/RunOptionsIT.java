package io.minify.cli;

import static io.minify.cli.OutputArtifactsIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run options end to end: an app that answers 200 only when it runs with the requested
 * command, env, env file, user, workdir and bind mount, on a port the image does not
 * expose, published on a fixed 127.0.0.1 port. It must answer 200 in the watched run and in
 * verification, and none of it may reach the slim image's config.
 */
class RunOptionsIT extends RealEngineTest {

  private static final String IMAGE = "minify-it/run-options:1";
  private static final String TAG = "minify-it/run-options.slim:1";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Reports which of the run settings it does not see; 200 only when it sees them all. */
  private static final String APP = """
      import http.server, os, sys
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              checks = {
                  'cmd': sys.argv[1:] == ['--mode', 'test'],
                  'env': os.environ.get('FROM_ENV') == 'yes',
                  'envfile': os.environ.get('FROM_FILE') == 'a b=c',
                  'envwins': os.environ.get('BOTH') == 'flag',
                  'user': os.getuid() == 4242 and os.getgid() == 4242,
                  'workdir': os.getcwd() == '/tmp',
                  'mount': open('/config/value.txt').read() == 'mounted\\n',
              }
              bad = sorted(k for k, ok in checks.items() if not ok)
              body = ('ok' if not bad else 'wrong: ' + ','.join(bad)).encode()
              self.send_response(500 if bad else 200)
              self.send_header('Content-Length', str(len(body)))
              self.end_headers()
              self.wfile.write(body)
      http.server.HTTPServer(('', int(os.environ['PORT'])), H).serve_forever()
      """;
  private Path files;

  @BeforeAll
  static void setUp() throws Exception {
    String b64 = Base64.getEncoder().encodeToString(APP.getBytes(StandardCharsets.UTF_8));
    TestImages.build(IMAGE, "FROM minify-base:python\n"
        + "RUN mkdir -p /srv && echo " + b64 + " | base64 -d > /srv/app.py\n"
        + "CMD [\"sleep\", \"infinity\"]\n");
  }

  @AfterAll
  static void tearDown() {
    TestImages.untag(TAG);
    TestImages.untag(IMAGE);
  }

  @BeforeEach
  void dirs() throws IOException {
    files = Files.createTempDirectory("minify-it-run-files");
  }

  @AfterEach
  void cleanUp() throws IOException {
    TestImages.untag(TAG);
    OutputArtifactsIT.deleteTree(files);
  }

  @Test
  void bothContainersRunWithTheSettingsAndTheImageKeepsItsOwnConfig() throws Exception {
    Path config = Files.createDirectories(files.resolve("config"));
    Files.writeString(config.resolve("value.txt"), "mounted\n");
    // the app runs as uid 4242: the bind must be readable by it
    Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path envFile = Files.writeString(files.resolve("app.env"), "# settings\n\nFROM_FILE=a b=c\nPORT=9000\nBOTH=file\n");
    Path report = files.resolve("report.json");
    int hostPort = freePort();

    CliRun build = build("--entrypoint", "[\"python3\", \"/srv/app.py\"]", "--cmd", "[\"--mode\", \"test\"]",
        "--env", "FROM_ENV=yes", "--env", "BOTH=flag", "--env-file", envFile.toString(),
        "--user", "4242:4242", "--workdir", "/tmp", "--network", "bridge",
        "--mount", "type=bind,source=" + config + ",target=/config,readonly",
        "--expose", "9000", "--publish-port", hostPort + ":9000", "--report", report.toString());
    assertEquals(0, build.exitCode(), build.toString());
    Leftovers.assertNone(engine, workRoot);
    JsonNode probe = JSON.readTree(report.toFile()).path("probes").get(0);
    assertTrue(probe.path("probe").asText().contains("9000"), "the --expose port is probed: " + probe);
    assertEquals(200, probe.path("originalStatus").asInt(), "the watched run saw every setting: " + probe);
    assertEquals(200, probe.path("slimStatus").asInt(), "verification saw every setting: " + probe);

    // run settings are for the temporary containers only: the image config is the original's
    JsonNode original = JSON.readTree(run("docker", "image", "inspect", "--format", "{{json .Config}}", IMAGE));
    JsonNode slim = JSON.readTree(run("docker", "image", "inspect", "--format", "{{json .Config}}", TAG));
    for (String field : List.of("Entrypoint", "Cmd", "Env", "User", "WorkingDir", "ExposedPorts", "Volumes")) {
      assertEquals(original.get(field), slim.get(field), "Config." + field);
    }
  }

  @Test
  void engineGetsEverySettingAndPublishesOnLoopbackOnly() throws Exception {
    int hostPort = freePort();
    Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
    ContainerSpec spec = new ContainerSpec("minify-base:bookworm", List.of("sleep", "1"), Map.of(), List.of(8080),
        Map.of(ContainerSpec.OWNER_LABEL, "run-options-it"), List.of("A=1"),
        List.of(new ContainerSpec.Mount(false, files.toString(), "/in", true),
            new ContainerSpec.Mount(true, null, "/scratch", false)),
        "bridge", "4242:4243", "/tmp", Map.of(9000, hostPort), ContainerSpec.LOOPBACK, false, List.of());
    String id = engine.containers().createContainer(spec);
    try {
      JsonNode c = JSON.readTree(run("docker", "container", "inspect", id)).get(0);
      JsonNode bindings = c.path("HostConfig").path("PortBindings");
      assertEquals("127.0.0.1", bindings.path("8080/tcp").get(0).path("HostIp").asText());
      assertEquals("", bindings.path("8080/tcp").get(0).path("HostPort").asText(), "engine-chosen port");
      assertEquals("127.0.0.1", bindings.path("9000/tcp").get(0).path("HostIp").asText());
      assertEquals(String.valueOf(hostPort), bindings.path("9000/tcp").get(0).path("HostPort").asText());
      assertEquals("bridge", c.path("HostConfig").path("NetworkMode").asText());
      assertEquals("4242:4243", c.path("Config").path("User").asText());
      assertEquals("/tmp", c.path("Config").path("WorkingDir").asText());
      assertTrue(c.path("Config").path("Env").toString().contains("\"A=1\""), c.toString());
      JsonNode mounts = c.path("HostConfig").path("Mounts");
      assertEquals("bind " + files + " /in true",
          mounts.get(0).path("Type").asText() + " " + mounts.get(0).path("Source").asText() + " "
              + mounts.get(0).path("Target").asText() + " " + mounts.get(0).path("ReadOnly").asBoolean());
      assertEquals("volume /scratch", mounts.get(1).path("Type").asText() + " " + mounts.get(1).path("Target").asText());
    } finally {
      engine.containers().removeContainer(id);
    }
  }

  @Test
  void badValuesAreRejectedBeforeAnythingStarts() throws Exception {
    Path badEnv = Files.writeString(files.resolve("bad.env"), "OK=1\noops\n");
    expectBadInput("--env: 'FOO' is not KEY=VALUE", "--env", "FOO");
    expectBadInput("--env-file " + badEnv + " line 2: 'oops' is not KEY=VALUE", "--env-file", badEnv.toString());
    expectBadInput("--env-file " + files.resolve("none.env") + ": cannot read it (NoSuchFileException)",
        "--env-file", files.resolve("none.env").toString());
    expectBadInput("--network host: minify reaches the app only through ports published on 127.0.0.1, so the"
        + " network must be a bridge-like network by name", "--network", "host");
    expectBadInput("--publish-port: '0.0.0.0:8080:8080': ports are published on 127.0.0.1 only",
        "--publish-port", "0.0.0.0:8080:8080");
    expectBadInput("--publish-port: '8080' is not HOST:CONTAINER", "--publish-port", "8080");
    expectBadInput("--expose: '53/udp' is not a TCP port (only TCP ports can be probed)", "--expose", "53/udp");
    expectBadInput("--mount: the bind source /no/such/dir does not exist",
        "--mount", "type=bind,source=/no/such/dir,target=/x");
    expectBadInput("--mount: type 'tmpfs' in 'type=tmpfs,target=/x' is not bind or volume",
        "--mount", "type=tmpfs,target=/x");
    expectBadInput("--workdir: 'tmp' is not an absolute path", "--workdir", "tmp");
  }

  private void expectBadInput(String message, String... extra) throws Exception {
    CliRun run = build(extra);
    assertRefused(run, message, TAG);
  }

  private CliRun build(String... extra) {
    List<String> args = new ArrayList<>(List.of("build", IMAGE, "--tag", TAG, "--quiet",
        "--work-dir", workRoot.toString()));
    if (!List.of(extra).contains("--report")) {
      args.add("--no-report");
    }
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

}
