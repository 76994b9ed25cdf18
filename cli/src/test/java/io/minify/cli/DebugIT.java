package io.minify.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerInfo;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.pack.ConfigChanges;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code minify debug} on a slim corpus container: nginx minified by {@code minify build},
 * run published on 127.0.0.1, looked into with its original as the tools image. The slim
 * image has no shell, which the default image shows with the original's name; the tools
 * container is gone after every run, also after SIGTERM.
 */
class DebugIT extends RealEngineTest {

  private static final CorpusApp NGINX = new CorpusApp("nginx");
  private static final String SLIM = "minify-debug-it/nginx.slim:1";
  private static Path buildDir;
  private static String target;
  private static String targetId;

  @BeforeAll
  static void slimContainer() throws Exception {
    buildDir = Files.createTempDirectory("minify-debug-it-");
    List<String> args = new ArrayList<>(List.of("build", NGINX.image(), "--tag", SLIM, "--quiet", "--no-report",
        "--work-dir", buildDir.toString()));
    args.addAll(NGINX.defaultFlags());
    CliRun build = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, build.exitCode(), build.toString());
    target = "minify-debug-it-" + UUID.randomUUID().toString().substring(0, 8);
    docker("run", "-d", "--pull", "never", "--name", target, "-p", "127.0.0.1::80", SLIM);
    targetId = engine.containers().inspectContainer(target).orElseThrow().id();
  }

  @AfterAll
  static void removeSlimContainer() throws Exception {
    if (target != null) {
      docker("rm", "-f", target);
    }
    TestImages.untag(SLIM);
    try (Stream<Path> walk = Files.walk(buildDir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @AfterEach
  void noToolsContainerIsLeft() {
    assertEquals(List.of(), engine.containers().containersWithLabel(DebugCommand.TARGET_LABEL + "=" + targetId),
        "tools containers left behind");
  }

  /** This process's side of a debug run: input given, output kept as bytes. */
  private record Captured(int exitCode, byte[] out, String err) {
    String outText() {
      return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + outText() + "--- stderr\n" + err;
    }
  }

  private static Captured debug(String input, String... args) {
    MemoryTerminal pipes = new MemoryTerminal(false, input);
    CommandLine cmd = MinifyCommand.newCommandLine(DockerJavaEngine::connect, pipes);
    StringWriter messages = new StringWriter();
    cmd.setErr(new PrintWriter(messages, true));
    List<String> all = new ArrayList<>(List.of("debug"));
    all.addAll(List.of(args));
    int code = cmd.execute(all.toArray(String[]::new));
    return new Captured(code, pipes.out.toByteArray(), messages + pipes.err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theOriginalAsToolsImageListsTheSlimContainersRoot() throws Exception {
    Captured run = debug("", "--image", NGINX.image(), target, "--", "ls", "-A", "/proc/1/root");

    assertEquals(0, run.exitCode(), run.toString());
    // what the engine exports of the container is what /proc/1/root shows
    TreeSet<String> exported = new TreeSet<>();
    for (String entry : docker("sh", "-c", "docker export " + target + " | tar -t").lines().toList()) {
      String top = entry.replaceFirst("^\\./", "").split("/", 2)[0];
      if (!top.isEmpty()) {
        exported.add(top);
      }
    }
    assertEquals(exported, new TreeSet<>(run.outText().lines().toList()), run.toString());
    // and it is the slim root, not the tools image's: the original has a shell, the slim one not
    assertTrue(run.outText().lines().anyMatch("etc"::equals), run.toString());
    Captured slimBin = debug("", "--image", NGINX.image(), target, "sh", "-c",
        "test -e /proc/1/root/bin/sh || test -e /proc/1/root/usr/bin/sh; echo $?; test -e /bin/sh; echo $?");
    assertEquals("1\n0\n", slimBin.outText(), slimBin.toString());
    // the private IPC namespace of a default container: one warning line, nothing else on stderr
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("minify: warning: container '" + target + "' does not share its IPC namespace"
        + " (IPC mode private)"), run.err());
  }

  @Test
  void theToolsContainerSharesTheTargetsProcessesAndNetwork() {
    // nginx is PID 1 of the target; its port 80 answers on the shared localhost
    Captured run = debug("cat /proc/1/cmdline | tr '\\0' ' '; echo; (exec 3<>/dev/tcp/127.0.0.1/80 && echo open)"
        + " 2>/dev/null || echo closed\n", "--image", NGINX.image(), target, "bash");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.outText().lines().toList();
    assertTrue(lines.get(0).startsWith("nginx: master process"), run.toString());
    assertEquals("open", lines.get(1), run.toString());
  }

  @Test
  void withoutImageTheOriginalIsTheToolsImageWhereTheStoreFindsItElseTheMessageSaysWhatToPass() {
    Captured run = debug("", target, "ls", "/proc/1/root/etc/nginx");
    String source = engine.images().inspectImage(SLIM).orElseThrow().config().labels()
        .get(ConfigChanges.SOURCE_IMAGE_LABEL);
    if (engine.images().inspectImage(source).isPresent()) {
      // the classic image store finds the original by its content id: it has the shell the slim image lacks
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.outText().lines().anyMatch("nginx.conf"::equals), run.toString());
      assertTrue(run.err().lines().anyMatch(l -> l.startsWith("minify: debug: tools image " + NGINX.image()
          + ", the original minify made " + SLIM + " from")), run.err());
    } else {
      // the containerd store names images by their manifest: the slim image itself is the default, without a shell
      assertEquals(2, run.exitCode(), run.toString());
      String error = run.err().lines().filter(l -> l.startsWith("minify: error: ")).findFirst().orElseThrow();
      assertTrue(error.startsWith("minify: error: image '" + SLIM + "' of container '" + target + "' cannot run 'ls'"
          + " ("), error);
      assertTrue(error.contains("minify made it from the image with content id " + source + " (the engine finds"
          + " none by that id): pass that original, or any image with a shell, with --image"), error);
    }
  }


  @Test
  void theCommandsExitCodeIsMinifysAndStdinEndsTheShell() {
    Captured failed = debug("", "--image", NGINX.image(), target, "sh", "-c", "exit 7");
    assertEquals(7, failed.exitCode(), failed.toString());
    // a script on stdin: its end ends the shell
    Captured script = debug("ls /proc/1/root/etc/nginx\nexit 5\n", "--image", NGINX.image(), target);
    assertEquals(5, script.exitCode(), script.toString());
    assertTrue(script.outText().lines().anyMatch("nginx.conf"::equals), script.toString());
    Captured ended = debug("echo last\n", "--image", NGINX.image(), target);
    assertEquals(0, ended.exitCode(), ended.toString());
    assertEquals("last\n", ended.outText());
  }

  @Test
  void badInputIsOneLineWithExitTwo() throws Exception {
    Captured unknown = debug("", "minify-debug-no-such-container");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertEquals("minify: error: container 'minify-debug-no-such-container' is not in the engine (docker ps -a lists"
        + " them)\n", unknown.err());

    Captured noImage = debug("", "--image", "minify-debug-no-such-image:1", target);
    assertEquals(2, noImage.exitCode(), noImage.toString());
    assertTrue(noImage.err().endsWith("minify: error: --image 'minify-debug-no-such-image:1' is not in the local"
        + " engine (minify never pulls: build or load it first)\n"), noImage.err());

    Captured noCommand = debug("", "--image", NGINX.image(), target, "minify-debug-no-such-command");
    assertEquals(2, noCommand.exitCode(), noCommand.toString());
    assertTrue(noCommand.err().endsWith("minify: error: --image '" + NGINX.image() + "' cannot run"
        + " 'minify-debug-no-such-command' (exec: \"minify-debug-no-such-command\": executable file not found in"
        + " $PATH)\n"), noCommand.err());

    String stopped = "minify-debug-it-stopped-" + UUID.randomUUID().toString().substring(0, 8);
    docker("create", "--pull", "never", "--name", stopped, SLIM);
    try {
      Captured notRunning = debug("", stopped);
      assertEquals(2, notRunning.exitCode(), notRunning.toString());
      assertEquals("minify: error: container '" + stopped + "' is not running: minify debug joins a running container"
          + " (start it first)\n", notRunning.err());
    } finally {
      docker("rm", "-f", stopped);
    }
  }

  @Test
  void theJarStreamsStdoutAndSigtermRemovesTheToolsContainer() throws Exception {
    // the real process: stdin and stdout are pipes, stdout carries the command's bytes only
    Process ls = new ProcessBuilder("java", "-jar", Path.of("target", "minify.jar").toAbsolutePath().toString(),
        "debug", "--image", NGINX.image(), target, "--", "ls", "/proc/1/root/etc/nginx").start();
    ls.getOutputStream().close();
    String out = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(ls.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ls.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, ls.exitValue(), out + err);
    assertTrue(out.lines().anyMatch("nginx.conf"::equals), out);

    try (MinifyProcess sleeping = MinifyProcess.start("debug", "--image", NGINX.image(), target, "sleep", "600")) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> engine.containers()
          .containersWithLabel(DebugCommand.TARGET_LABEL + "=" + targetId).stream()
          .map(id -> engine.containers().inspectContainer(id)).flatMap(Optional::stream)
          .anyMatch(ContainerInfo::running));
      sleeping.signal("TERM");
      assertEquals(143, sleeping.awaitExit(120), sleeping.output());
      assertTrue(sleeping.output().contains("minify: debug ended by SIGTERM; the tools container is removed"),
          sleeping.output());
    }
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (!args[0].equals("sh")) {
      command.add("docker");
    }
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
