package io.minify.pipeline;

import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
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
import io.minify.run.ProbeSettings;
import io.minify.run.RunSettings;
import io.minify.select.KeepReason;
import io.minify.select.KeptBecause;
import io.minify.sensor.AccessLog;
import io.minify.verify.LoosePaths;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A watched run to its {@link RecordedRun} in the report, and back: what {@code minify merge}
 * needs of an earlier build's run to select from what it opened and to verify the slim image
 * against what the original answered, without running the original under the monitor again.
 * The answers come back without their bodies' first bytes (a report holds digests and shapes,
 * not pages): a difference is then described without an excerpt.
 */
final class RecordedRuns {

  private RecordedRuns() {}

  /** A run as the report writes it. */
  static RecordedRun record(String name, BuildOptions options, ProbeRecording recording, AccessLog access) {
    RunSettings r = options.run();
    ProbeSettings p = options.probing();
    RecordedRun.Settings settings = new RecordedRun.Settings(r.env(), r.entrypoint(), r.cmd(), r.workingDir(),
        r.user(), r.network(), r.mounts().stream()
            .map(m -> new RecordedRun.Mount(m.volume(), m.source(), m.target(), m.readOnly())).toList(),
        r.exposedPorts(), new TreeMap<>(r.fixedHostPorts()));
    RecordedRun.Probing probing = new RecordedRun.Probing(p.startTimeout().toMillis(), p.startWait().toMillis(),
        p.retries(), p.retryWait().toMillis(), p.requestTimeout().toMillis(), options.loosePaths().patterns());
    List<RecordedRun.Http> http = recording.http().stream().map(o -> {
      HttpProbe probe = o.result().probe();
      return new RecordedRun.Http(probe.protocol().label(), probe.method(), probe.path(), probe.containerPort(),
          probe.headers(), probe.body().bytes(), o.source().label(),
          answer(o.first()), answer(o.second()));
    }).toList();
    List<RecordedRun.Tcp> tcp = recording.tcp().stream().map(t -> new RecordedRun.Tcp(t.probe().containerPort(),
        t.probe().send(), t.probe().expect(), t.connected(), t.matched(), t.received(), t.elapsed().toMillis()))
        .toList();
    List<RecordedRun.Exec> exec = recording.exec().stream().map(e -> new RecordedRun.Exec(e.command().text(),
        e.command().argv(), e.result().exitCode(), e.result().output(), e.result().elapsed().toMillis(),
        e.result().timedOut())).toList();
    ProbeEnd end = recording.continuedAfter();
    RecordedRun.Ending ending = new RecordedRun.Ending(
        end instanceof ProbeEnd.AsPlanned planned ? planned.after().toString() : p.continueAfter().toString(),
        end instanceof ProbeEnd.AppExited, recording.readyPorts(), recording.unreadyPorts(),
        recording.otherPorts().stream().map(o -> new RecordedRun.OtherPort(o.port(), o.evidence())).toList(),
        recording.crawledPages(), recording.crawlTruncated(), recording.crawlSkipped());
    RecordedRun.Access seen = new RecordedRun.Access(texts(access.files()), texts(access.directories()),
        texts(access.executed()), texts(access.written()), List.copyOf(access.processUids()), access.events());
    List<RecordedRun.HostExec> hostExec = recording.hostExec().stream().map(h -> new RecordedRun.HostExec(
        h.command().text(), p.hostExecTimeout().toMillis(), h.result().exitCode(), h.result().outputTail(),
        h.result().outputBytes(), h.result().elapsed().toMillis(), h.result().timedOut())).toList();
    return new RecordedRun(name, settings, probing, http, tcp, exec, ending, seen, hostExec);
  }

  private static RecordedRun.Answer answer(HttpAnswer a) {
    ProbeResult r = a.result();
    return new RecordedRun.Answer(r.protocol() == null ? null : r.protocol().label(), r.status(), r.bodyBytes(),
        r.bodySha256(), r.elapsed().toMillis(), r.attempts(), r.error(), a.mediaType(), a.shape(), a.json());
  }

  private static List<String> texts(Collection<UnixPath> paths) {
    return paths.stream().map(UnixPath::toString).toList();
  }

  /**
   * A recorded run as the pipeline's own values again.
   *
   * @param options   {@code base} with the run's container settings, probe timing, {@code --exec}
   *                  commands (their programs are kept) and loose paths in place
   * @param recording what the original answered
   * @param access    what the run opened
   * @param kept      what the build that recorded it kept (all its runs'), with the report's reasons
   */
  record Recalled(BuildOptions options, ProbeRecording recording, AccessLog access,
      SortedMap<UnixPath, KeptBecause> kept) {}

  /**
   * @param report the report's name, for the kept paths' details ("kept by r1.json: observed")
   * @param kept   the report's kept paths
   * @throws IllegalArgumentException one line naming the bad field, for a report that was edited or cut
   */
  static Recalled recall(RecordedRun run, String report, List<BuildReport.KeptPath> kept, BuildOptions base) {
    RecordedRun.Settings s = run.settings();
    RecordedRun.Probing p = run.probing();
    if (s == null || p == null || run.ending() == null || run.access() == null) {
      throw new IllegalArgumentException("run '" + run.name() + "' lacks its settings, probing, ending or access");
    }
    RunSettings settings = new RunSettings(s.env(), s.mounts().stream()
        .map(m -> new ContainerSpec.Mount(m.volume(), m.source(), m.target(), m.readOnly())).toList(), s.network(),
        s.entrypoint(), s.cmd(), s.workdir(), s.user(), s.exposedPorts(), s.fixedHostPorts());
    List<ExecCommand> execs = run.exec().stream().map(e -> new ExecCommand(e.command(), e.argv())).toList();
    ContinueAfter after = ContinueAfter.parse(run.ending().continuedAfter());
    ProbeSettings probing = new ProbeSettings(true, List.of(), List.of(), Duration.ofMillis(p.startTimeoutMillis()),
        Duration.ofMillis(p.startWaitMillis()), p.retries(), Duration.ofMillis(p.retryWaitMillis()),
        Duration.ofMillis(p.requestTimeoutMillis()), null, null, List.of(),
        run.tcp().stream().map(RecordedRuns::tcpProbe).toList(), execs, after,
        run.hostExec().stream().map(h -> HostExecCommand.parse(h.command())).toList(),
        run.hostExec().stream().map(h -> Duration.ofMillis(h.timeoutMillis())).max(Duration::compareTo)
            .orElse(ProbeSettings.DEFAULT_HOST_EXEC_TIMEOUT));
    BuildOptions options = base.toBuilder().run(settings).probing(probing).loosePaths(new LoosePaths(p.loosePaths()))
        .scenarios(List.of()).build();

    List<ProbeOutcome> http = run.http().stream().map(h -> {
      HttpProtocol planned = protocol(h.protocol(), "protocol of " + h.method() + " " + h.path());
      HttpProbe probe = new HttpProbe(planned, h.method(), h.path(), h.port(), h.headers(), HttpBody.of(h.body()));
      return new ProbeOutcome(answer(probe, h.first()), answer(probe, h.second()), source(h.source()));
    }).toList();
    List<TcpProbeResult> tcp = run.tcp().stream().map(t -> new TcpProbeResult(tcpProbe(t), t.connected(),
        t.matched(), t.received(), Duration.ofMillis(t.millis()), 1, null, new byte[0])).toList();
    List<ExecOutcome> exec = run.exec().stream().map(e -> new ExecOutcome(new ExecCommand(e.command(), e.argv()),
        new ExecResult(e.exitCode(), e.output(), Duration.ofMillis(e.millis()), e.timedOut()))).toList();
    RecordedRun.Ending end = run.ending();
    ProbeEnd ended = end.appExited() ? new ProbeEnd.AppExited(new ContainerState(false, 0, 0, ""))
        : new ProbeEnd.AsPlanned(after);
    ProbeRecording recording = new ProbeRecording(http, end.crawledPages(), end.crawlTruncated(), end.crawlSkipped(),
        end.readyPorts(), end.unreadyPorts(),
        end.otherPorts().stream().map(o -> new OtherPort(o.port(), o.evidence())).toList(), tcp, exec, ended,
        run.hostExec().stream().map(h -> new HostExecOutcome(HostExecCommand.parse(h.command()),
            new HostExecResult(h.exitCode(), h.outputTail(), h.outputBytes(), Duration.ofMillis(h.millis()),
                h.timedOut()))).toList());
    RecordedRun.Access a = run.access();
    AccessLog access = new AccessLog(paths(a.files()), paths(a.directories()), paths(a.executed()),
        paths(a.written()), new TreeSet<>(a.processUids()), a.events());
    SortedMap<UnixPath, KeptBecause> before = new TreeMap<>();
    for (BuildReport.KeptPath k : kept) {
      KeepReason reason = reason(k.reason());
      String detail = "kept by " + report + " as " + k.reason() + (k.detail().isEmpty() ? "" : ": " + k.detail());
      before.put(path(k.path()), new KeptBecause(reason, detail));
    }
    return new Recalled(options, recording, access, before);
  }

  private static KeepReason reason(String label) {
    for (KeepReason r : KeepReason.values()) {
      if (r.label().equals(label)) {
        return r;
      }
    }
    throw new IllegalArgumentException("kept path reason '" + label + "' is not one minify writes");
  }

  private static TcpProbe tcpProbe(RecordedRun.Tcp t) {
    return new TcpProbe(t.port(), t.send(), t.expect());
  }

  private static HttpAnswer answer(HttpProbe probe, RecordedRun.Answer a) {
    HttpProtocol answered = a.protocol() == null ? null : protocol(a.protocol(), "protocol of an answer");
    return new HttpAnswer(new ProbeResult(probe, answered, a.status(), a.bodyBytes(), a.bodySha256(),
        Duration.ofMillis(a.millis()), a.attempts(), a.error()), a.mediaType(), new byte[0], a.shape(), a.json());
  }

  private static HttpProtocol protocol(String label, String what) {
    return HttpProtocol.fromLabel(label).orElseThrow(() -> new IllegalArgumentException(what + " is '" + label
        + "', not http, https or auto"));
  }

  private static ProbeSource source(String label) {
    for (ProbeSource s : ProbeSource.values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("probe source '" + label + "' is none of default, cmd, file, crawl, apispec");
  }

  private static SortedSet<UnixPath> paths(List<String> texts) {
    SortedSet<UnixPath> paths = new TreeSet<>();
    for (String text : texts) {
      paths.add(path(text));
    }
    return paths;
  }

  /**
   * The path {@link UnixPath#toString()} printed: {@code \\} is a backslash, {@code \xHH} the byte
   * HH, anything else its UTF-8 bytes, so a name that is not UTF-8 comes back as the same bytes.
   */
  static UnixPath path(String shown) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(shown.length());
    int i = 0;
    while (i < shown.length()) {
      char c = shown.charAt(i);
      if (c != '\\') {
        int end = i + Character.charCount(shown.codePointAt(i));
        bytes.writeBytes(shown.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      } else if (i + 1 < shown.length() && shown.charAt(i + 1) == '\\') {
        bytes.write('\\');
        i += 2;
      } else if (i + 3 < shown.length() && shown.charAt(i + 1) == 'x' && isHex(shown, i + 2)) {
        bytes.write(Integer.parseInt(shown.substring(i + 2, i + 4), 16));
        i += 4;
      } else {
        throw new IllegalArgumentException("path '" + shown + "' has a '\\' that is neither \\\\ nor \\xHH");
      }
    }
    return UnixPath.ofBytes(bytes.toByteArray());
  }

  private static boolean isHex(String s, int at) {
    return at + 2 <= s.length() && Character.digit(s.charAt(at), 16) >= 0 && Character.digit(s.charAt(at + 1), 16) >= 0;
  }
}
