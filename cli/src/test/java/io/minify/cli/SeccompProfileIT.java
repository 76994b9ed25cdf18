package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minify.sensor.syscall.Architecture;
import io.minify.sensor.syscall.SyscallTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --seccomp-profile} on real corpus apps, a native server (nginx) and an interpreter's
 * (httpbin: Python's gunicorn with pre-forked workers): the syscalls each makes are recorded
 * from the host while it is probed, the profile holds what a network server needs, the slim
 * image was verified under it and passes the app's whole functional check under it, and the
 * profile is enforced: without the accept it holds, the slim app stops answering. Runs on both
 * engines of the suite (cli/pom.xml's engine-next subset).
 */
class SeccompProfileIT extends RealEngineTest {

  private static final String NGINX_TAG = "minify-it/seccomp-nginx.slim:1";
  private static final String HTTPBIN_TAG = "minify-it/seccomp-httpbin.slim:1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @AfterEach
  void removeTags() {
    engine.images().removeImage(NGINX_TAG);
    engine.images().removeImage(HTTPBIN_TAG);
  }

  @Test
  void nginxIsVerifiedUnderItsOwnProfileWhichIsEnforced() throws Exception {
    CorpusApp nginx = new CorpusApp("nginx");
    Profile profile = buildWithProfile(nginx, NGINX_TAG);
    assertTrue(profile.names().stream().anyMatch(n -> n.startsWith("epoll_") || n.equals("poll") || n.equals("select")),
        "an event loop in " + profile.names());

    // enforced: the same profile without the accept nginx uses, and the slim app answers nothing
    String accept = profile.accept();
    Served denied = serve(NGINX_TAG, 80, profile.without(accept, tmp));
    assertFalse(denied.answered(), "the slim app answers nothing without " + accept + ": " + denied.log());
    assertTrue(denied.log().contains(accept + "() failed (1: Operation not permitted)"),
        "the kernel denied it with the profile's errno: " + denied.log());
  }

  @Test
  void httpbinOnPythonIsVerifiedUnderItsOwnProfileWhichIsEnforced() throws Exception {
    CorpusApp httpbin = new CorpusApp("httpbin");
    Profile profile = buildWithProfile(httpbin, HTTPBIN_TAG);
    // gunicorn's arbiter forks its workers and reaps them; the interpreter reads its modules
    assertTrue(profile.names().contains("clone") || profile.names().contains("clone3")
        || profile.names().contains("fork"), "the workers' fork in " + profile.names());
    assertTrue(profile.names().contains("wait4") || profile.names().contains("waitid"),
        "the arbiter's wait in " + profile.names());
    assertTrue(profile.names().containsAll(List.of("openat", "read", "mmap")), profile.names().toString());

    // enforced: the workers' accept fails with the profile's errno, as Python reports it
    String accept = profile.accept();
    Served denied = serve(HTTPBIN_TAG, 8000, profile.without(accept, tmp));
    assertFalse(denied.answered(), "the slim app answers nothing without " + accept + ": " + denied.log());
    assertTrue(denied.log().contains("PermissionError: [Errno 1] Operation not permitted"),
        "the kernel denied it with the profile's errno: " + denied.log());
  }

  /** A written profile: the file, its JSON and the names it allows. */
  private record Profile(Path file, JsonNode json, List<String> names) {

    /** The accept the app uses (accept4 for glibc's, accept for older callers). */
    String accept() {
      return names.contains("accept4") ? "accept4" : "accept";
    }

    /** This profile without {@code syscall}, written beside it. */
    Path without(String syscall, Path dir) throws IOException {
      ObjectNode fewer = (ObjectNode) json.deepCopy();
      ArrayNode allowed = ((ObjectNode) fewer.get("syscalls").get(0)).putArray("names");
      names.stream().filter(n -> !n.equals(syscall)).forEach(allowed::add);
      Path file = dir.resolve("without-" + syscall + ".json");
      JSON.writeValue(file.toFile(), fewer);
      return file;
    }
  }

  /**
   * Builds {@code app} with its default flags and {@code --seccomp-profile}; checks the build,
   * the profile, the report's field, and the app's own check of the slim image under the profile.
   */
  private Profile buildWithProfile(CorpusApp app, String tag) throws Exception {
    Path profile = tmp.resolve(app.name() + "-seccomp.json");
    Path report = tmp.resolve(app.name() + "-report.json");
    List<String> args = new ArrayList<>(List.of("build", app.image(), "--tag", tag, "--quiet", "--report",
        report.toString(), "--work-dir", workRoot.toString(), "--seccomp-profile", profile.toString()));
    args.addAll(app.defaultFlags());
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    Leftovers.assertNone(engine, workRoot);
    assertNoTraceInstanceLeft();

    JsonNode json = JSON.readTree(profile.toFile());
    assertEquals("SCMP_ACT_ERRNO", json.get("defaultAction").asText());
    assertEquals(1, json.get("defaultErrnoRet").asInt(), "denied calls fail with EPERM");
    List<String> names = new ArrayList<>();
    json.get("syscalls").get(0).get("names").forEach(n -> names.add(n.asText()));
    assertEquals(new ArrayList<>(new TreeSet<>(names)), names, "sorted, each once");
    // what any network server does, however it spells it
    for (String needed : List.of("socket", "bind", "listen", "execve")) {
      assertTrue(names.contains(needed), needed + " in " + names);
    }
    assertTrue(names.contains("accept4") || names.contains("accept"), "an accept in " + names);
    assertFalse(names.contains("kexec_load") || names.contains("reboot") || names.contains("mount"),
        "only what was used: " + names);

    JsonNode seccomp = JSON.readTree(report.toFile()).get("seccomp");
    assertEquals(profile.toString(), seccomp.get("profile").asText());
    assertEquals(names.size(), seccomp.get("syscalls").asInt());
    assertTrue(seccomp.get("observed").asInt() > 20 && seccomp.get("observed").asInt() <= names.size(),
        seccomp.toString());
    assertTrue(seccomp.get("verifiedUnder").asBoolean(), seccomp.toString());

    // the app's own check, beyond the probes, passes under the profile
    CorpusApp.Check check = app.check(tag, List.of("--security-opt", "seccomp=" + profile));
    assertTrue(check.allPassed(), app.name() + "'s check under its profile: " + check);
    assertTrue(serve(tag, app.ports().get(0), profile).answered(), "the slim app answers under its profile");
    return new Profile(profile, json, names);
  }

  @Test
  void theTableNamesEverySyscallTheKernelTraces() throws IOException {
    // the kernel's own names of its syscall tracepoints (sys_enter_<name>): its SYSCALL_DEFINE
    // names, which are the table's but for a few renamed ones, and every syscall this kernel has.
    // A kernel newer than the headers the table came from has tracepoints the table lacks: an
    // app that makes one of those syscalls could not get a profile (scripts/syscall-tables.sh)
    Path events = Path.of("/sys/kernel/tracing/events/syscalls");
    Set<String> traced = new TreeSet<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(events, "sys_enter_*")) {
      all.forEach(p -> traced.add(p.getFileName().toString().substring("sys_enter_".length())));
    }
    assertTrue(traced.size() > 250, traced.toString());
    // the native ABI's numbers (below 512 on x86_64: x32 ones carry a high bit), each name once
    Set<String> named = new TreeSet<>();
    SyscallTable.of(Architecture.host().orElseThrow()).all().forEach((nr, name) -> {
      if (nr < 512) {
        named.add(name);
      }
    });
    // the kernel's function names of syscalls the UAPI headers name otherwise
    Map<String, String> renamed = Map.of("newstat", "stat", "newlstat", "lstat", "newfstat", "fstat",
        "newuname", "uname", "sendfile64", "sendfile", "umount", "umount2");
    Set<String> unnamed = new TreeSet<>();
    for (String name : traced) {
      if (!named.contains(name) && !named.contains(renamed.getOrDefault(name, name))) {
        unnamed.add(name);
      }
    }
    assertEquals(Set.of(), unnamed, "syscalls of this kernel (" + System.getProperty("os.version")
        + ") the table does not name: regenerate it from newer headers (scripts/syscall-tables.sh --debian sid)");
    // and the other way: the table's names are the kernel's, but for the renamed ones and the
    // syscalls without a tracepoint (removed ones like _sysctl, never implemented ones)
    Set<String> untraced = new TreeSet<>(named);
    untraced.removeAll(traced);
    assertTrue(untraced.size() * 10 < named.size(), "names of the table the kernel does not trace: " + untraced);
    assertTrue(traced.containsAll(List.of("read", "openat", "accept4", "execve", "epoll_wait")), traced.toString());
  }

  @Test
  void aSensorInTheEngineCannotRecordAProfile() throws Exception {
    try (MinifyProcess build = MinifyProcess.startWith(Map.of("MINIFY_SENSOR", "engine"), "build",
        "minify-real/nginx:1", "--work-dir", workRoot.toString(), "--no-report", "--seccomp-profile",
        tmp.resolve("p.json").toString())) {
      assertEquals(3, build.awaitExit(60), build.output());
      assertEquals("minify: error: --seccomp-profile: MINIFY_SENSOR=engine places the monitor in the engine, and the"
          + " syscalls are traced from this host", build.output().strip());
    }
    assertFalse(Files.exists(tmp.resolve("p.json")));
    Leftovers.assertNone(engine, workRoot);
  }

  /** What a slim container did with GET /: whether it answered 200, and its log. */
  private record Served(boolean answered, String log) {}

  /** A fresh container of {@code tag} under {@code profile}, asked for GET / on {@code port} (a few times: it may still be starting). */
  private static Served serve(String tag, int port, Path profile) throws IOException, InterruptedException {
    String container = docker("run", "-d", "--pull", "never", "-p", "127.0.0.1::" + port, "--security-opt",
        "seccomp=" + profile, tag).strip();
    try {
      String published = docker("port", container, port + "/tcp").lines().filter(l -> l.startsWith("127.0.0.1:"))
          .findFirst().orElseThrow();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + published + "/"))
          .timeout(Duration.ofSeconds(2)).build();
      // up to 10 tries: the app may still be starting; a denied accept never answers
      boolean answered = false;
      for (int i = 0; i < 10 && !answered; i++) {
        try {
          answered = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          Thread.sleep(500);
        }
      }
      return new Served(answered, docker("logs", container));
    } finally {
      docker("rm", "-f", container);
    }
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
    return text;
  }

  private static void assertNoTraceInstanceLeft() throws IOException {
    try (DirectoryStream<Path> left = Files.newDirectoryStream(Path.of("/sys/kernel/tracing/instances"),
        "minify-syscalls-*")) {
      List<Path> instances = new ArrayList<>();
      left.forEach(instances::add);
      assertEquals(List.of(), instances, "trace instances left");
    }
  }
}
