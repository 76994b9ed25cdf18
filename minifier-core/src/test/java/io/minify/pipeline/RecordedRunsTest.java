package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ExecResult;
import io.minify.path.UnixPath;
import io.minify.probe.HttpBody;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import io.minify.probe.ProbeSource;
import io.minify.probe.tcp.TcpProbe;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.report.BuildReport;
import io.minify.report.RecordedRun;
import io.minify.run.ContinueAfter;
import io.minify.run.ExecCommand;
import io.minify.run.ExecOutcome;
import io.minify.run.HostExecCommand;
import io.minify.run.HostExecOutcome;
import io.minify.run.HostExecResult;
import io.minify.run.HttpAnswer;
import io.minify.run.OtherPort;
import io.minify.run.ProbeEnd;
import io.minify.run.ProbeOutcome;
import io.minify.run.ProbeRecording;
import io.minify.run.RunSettings;
import io.minify.select.KeepReason;
import io.minify.select.KeptBecause;
import io.minify.sensor.AccessLog;
import io.minify.verify.LoosePaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A watched run through the report's JSON and back: what merge compares with is what the build recorded. */
class RecordedRunsTest {
  private static final UnixPath ODD = UnixPath.ofBytes(new byte[] {'/', 'a', (byte) 0xff, '\\', 'b'});

  @Test
  void aRunComesBackFromTheReportAsTheBuildRecordedIt() throws Exception {
    HttpProbe post = new HttpProbe(HttpProtocol.AUTO, "POST", "/api?x=1", 8080, Map.of("Content-Type", "text/x"),
        HttpBody.of(new byte[] {0, 1, (byte) 0xfe}));
    HttpAnswer first = new HttpAnswer(new ProbeResult(post, HttpProtocol.HTTP, 201, 5, "ab12", Duration.ofMillis(7), 1,
        null), "application/json", new byte[] {'{'}, "text:99", "cd34");
    HttpAnswer second = new HttpAnswer(new ProbeResult(post, HttpProtocol.HTTP, 201, 6, "ef56", Duration.ofMillis(8),
        2, null), "application/json", new byte[0], "text:99", "");
    TcpProbe ping = new TcpProbe(6379, "PING\r\n".getBytes(), "+PONG".getBytes());
    ExecCommand check = ExecCommand.parse("test -f /etc/app.conf");
    ProbeRecording recording = new ProbeRecording(List.of(new ProbeOutcome(first, second, ProbeSource.CMD)),
        List.of(), false, List.of(), List.of(8080), List.of(), List.of(new OtherPort(5672, "answered \"AMQP\"")),
        List.of(new TcpProbeResult(ping, true, true, 7, Duration.ofMillis(3), 1, null, new byte[0])),
        List.of(new ExecOutcome(check, new ExecResult(1, "no".getBytes(), Duration.ofMillis(4), false))),
        new ProbeEnd.AsPlanned(ContinueAfter.parse("timeout:30")),
        List.of(new HostExecOutcome(HostExecCommand.parse("./suite.sh \"$MINIFY_TARGET_URL\""),
            new HostExecResult(3, new byte[] {'F', (byte) 0xff, '\n'}, 1234, Duration.ofMillis(900), false))));
    AccessLog access = new AccessLog(new TreeSet<>(List.of(ODD, UnixPath.of("/etc/app.conf"))),
        new TreeSet<>(List.of(UnixPath.of("/etc"))), new TreeSet<>(List.of(ODD)), new TreeSet<>(), new TreeSet<>(
            List.of(0, 33)), 9);
    RunSettings settings = new RunSettings(List.of("A=1", "B=2"), List.of(new ContainerSpec.Mount(true, "data",
        "/data", true)), "net1", List.of("/bin/app", "--worker"), null, "/srv", "33", List.of(9000), Map.of(80, 8081));
    BuildOptions options = BuildOptions.defaults("app:1").toBuilder().run(settings)
        .probing(BuildOptions.defaults("app:1").probing().withHostExecs(
            List.of(HostExecCommand.parse("./suite.sh \"$MINIFY_TARGET_URL\"")), Duration.ofSeconds(90)))
        .loosePaths(new LoosePaths(List.of("/time"))).build();

    ObjectMapper json = new ObjectMapper();
    RecordedRun written = RecordedRuns.record("worker", options, recording, access);
    RecordedRun read = json.readValue(json.writeValueAsString(written), RecordedRun.class);
    RecordedRuns.Recalled back = RecordedRuns.recall(read, "r1.json",
        List.of(new BuildReport.KeptPath(ODD.toString(), "elf_needed", "needed by /bin/app", 0)),
        BuildOptions.defaults("sha256:" + "a".repeat(64)));

    assertEquals(settings, back.options().run());
    assertEquals(List.of("/time"), back.options().loosePaths().patterns());
    assertEquals(List.of(check), back.options().probing().execs(), "their programs are kept again");
    assertEquals(access, back.access(), "paths that are not UTF-8 come back as the same bytes");
    ProbeOutcome o = back.recording().http().get(0);
    assertEquals(post, o.result().probe());
    assertEquals(ProbeSource.CMD, o.source());
    assertEquals(first.result(), o.first().result());
    assertEquals(List.of("application/json", "text:99", "cd34"), List.of(o.first().mediaType(), o.first().shape(),
        o.first().json()));
    assertEquals(second.result(), o.second().result());
    assertEquals(0, o.first().head().length, "a report holds no body bytes");
    assertEquals(6379, back.recording().tcp().get(0).probe().containerPort());
    assertArrayEquals(ping.send(), back.recording().tcp().get(0).probe().send());
    assertArrayEquals(ping.expect(), back.recording().tcp().get(0).probe().expect());
    assertEquals(1, back.recording().exec().get(0).result().exitCode());
    assertEquals(List.of(8080), back.recording().readyPorts());
    assertEquals(recording.otherPorts(), back.recording().otherPorts());
    assertEquals("timeout:30", back.recording().continuedAfter().label());
    // the test suite runs again against the merged image and must end as it did on the original
    assertEquals(List.of(HostExecCommand.parse("./suite.sh \"$MINIFY_TARGET_URL\"")),
        back.options().probing().hostExecs());
    assertEquals(Duration.ofSeconds(90), back.options().probing().hostExecTimeout());
    HostExecResult suite = back.recording().hostExec().get(0).result();
    assertEquals(List.of(3, 1234L, false), List.of(suite.exitCode(), suite.outputBytes(), suite.timedOut()));
    assertArrayEquals(new byte[] {'F', (byte) 0xff, '\n'}, suite.outputTail(), "its output stays bytes");
    assertEquals(new KeptBecause(KeepReason.ELF_NEEDED, "kept by r1.json as elf_needed: needed by /bin/app"),
        back.kept().get(ODD));
  }

  @Test
  void shownPathsReadBackAsTheirBytes() {
    for (UnixPath p : List.of(ODD, UnixPath.of("/usr/share/zoneinfo/América"), UnixPath.of("/a\\xff"),
        UnixPath.ofBytes(new byte[] {'/', 1, 0x7f}))) {
      assertEquals(p, RecordedRuns.path(p.toString()), p.toString());
    }
    assertThrows(IllegalArgumentException.class, () -> RecordedRuns.path("/a\\q"));
    assertThrows(IllegalArgumentException.class, () -> RecordedRuns.path("/a\\x4"));
  }
}
