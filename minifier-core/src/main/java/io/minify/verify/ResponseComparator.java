package io.minify.verify;

import io.minify.probe.ProbeResult;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.run.ExecOutcome;
import io.minify.run.ProbeOutcome;
import io.minify.run.ProbeRecording;
import io.minify.run.Replay;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether the slim image answered each probe as the original did (DESIGN.md stage
 * 8): HTTP: same status always, same body bytes when the original's body was stable across
 * two requests; TCP: connected and the expected bytes arrived; exec: same exit code. The
 * result lists HTTP, then TCP, then exec comparisons, in recording order.
 */
public final class ResponseComparator {

  private ResponseComparator() {}

  public static List<ProbeComparison> compare(List<ProbeOutcome> original, List<ProbeResult> slim) {
    if (original.size() != slim.size()) {
      throw new IllegalArgumentException("replayed " + slim.size() + " probes, expected " + original.size());
    }
    List<ProbeComparison> out = new ArrayList<>();
    for (int i = 0; i < original.size(); i++) {
      out.add(compare(original.get(i), slim.get(i)));
    }
    return out;
  }

  public static List<ProbeComparison> compare(ProbeRecording original, Replay slim) {
    List<ProbeComparison> out = new ArrayList<>(compare(original.http(), slim.http()));
    for (int i = 0; i < original.tcp().size(); i++) {
      TcpProbeResult s = slim.tcp().get(i);
      out.add(new ProbeComparison(s.probe().describe(), 1, s.ok() ? 1 : 0, s.probe().expect().length > 0, s.ok(),
          s.ok() ? "" : "the slim image failed: " + s.error()));
    }
    for (int i = 0; i < original.exec().size(); i++) {
      ExecOutcome o = original.exec().get(i);
      ExecOutcome s = slim.exec().get(i);
      int want = o.result().exitCode();
      int got = s.result().exitCode();
      boolean same = want == got && !s.result().timedOut();
      out.add(new ProbeComparison("EXEC " + o.command().text(), want, got, false, same, same ? ""
          : (s.result().timedOut() ? "did not finish in time" : "exit code " + got + " instead of " + want)
              + lastLine(s.result().outputText())));
    }
    return out;
  }

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.isEmpty() ? "" : " (" + lines.get(lines.size() - 1) + ")";
  }

  static ProbeComparison compare(ProbeOutcome original, ProbeResult slim) {
    ProbeResult orig = original.result();
    String name = orig.probe().describe();
    if (!slim.answered()) {
      return new ProbeComparison(name, orig.status(), slim.status(), original.bodyStable(), false,
          "no response from the slim image: " + slim.error());
    }
    if (orig.status() != slim.status()) {
      return new ProbeComparison(name, orig.status(), slim.status(), original.bodyStable(), false,
          "status " + slim.status() + " instead of " + orig.status());
    }
    if (original.bodyStable() && !Objects.equals(orig.bodySha256(), slim.bodySha256())) {
      return new ProbeComparison(name, orig.status(), slim.status(), true, false,
          "body differs (" + slim.bodyBytes() + " bytes instead of " + orig.bodyBytes() + ")");
    }
    return new ProbeComparison(name, orig.status(), slim.status(), original.bodyStable(), true, "");
  }
}
