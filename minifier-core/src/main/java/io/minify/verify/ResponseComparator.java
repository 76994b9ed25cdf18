package io.minify.verify;

import io.minify.probe.ProbeResult;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.run.ExecOutcome;
import io.minify.run.HostExecOutcome;
import io.minify.run.HostExecResult;
import io.minify.run.ProbeDriver;
import io.minify.run.HttpAnswer;
import io.minify.run.ProbeOutcome;
import io.minify.run.ProbeRecording;
import io.minify.run.Replay;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether the slim image answered each probe as the original did (docs/design.md stage
 * 8). HTTP: the same status always, and what the original kept the same across its answers
 * ({@link ComparedOn}): the body when both of its answers were the same (bytes, or JSON with
 * its members in any order), else
 * their shape and type, else their type. TCP: connected and the expected bytes arrived.
 * Exec: the same exit code. Host-exec: the same exit code, in time, on the first run against
 * the slim image or on the one rerun a different end gets. The result lists HTTP, then TCP,
 * then exec, then host-exec comparisons, in recording order.
 *
 * <p>A page can be the same within one run and differ between runs (a start time, a row
 * seeded at start): then the slim image's first pass differs in the body alone. Such a
 * difference is {@linkplain ProbeComparison#confirmable() confirmable}: {@link #confirm}
 * takes the original's answers from a second, unwatched run and judges again.
 */
public final class ResponseComparator {

  private ResponseComparator() {}

  /** The first pass: the slim image's answers against the watched run's. */
  public static List<ProbeComparison> compare(ProbeRecording original, Replay slim, LoosePaths loose) {
    if (original.http().size() != slim.http().size()) {
      throw new IllegalArgumentException("replayed " + slim.http().size() + " probes, expected "
          + original.http().size());
    }
    List<ProbeComparison> out = new ArrayList<>();
    for (int i = 0; i < original.http().size(); i++) {
      ProbeOutcome o = original.http().get(i);
      out.add(compare(o.first(), slim.http().get(i), level(o, List.of(o.first(), o.second()), loose), false));
    }
    for (int i = 0; i < original.tcp().size(); i++) {
      TcpProbeResult s = slim.tcp().get(i);
      ComparedOn on = s.probe().expect().length > 0 ? ComparedOn.BODY : ComparedOn.STATUS;
      out.add(s.ok() ? ProbeComparison.match(s.probe().describe(), 1, 1, on, false)
          : ProbeComparison.mismatch(s.probe().describe(), 1, 0, on, false, false,
              "the slim image failed: " + s.error()));
    }
    for (int i = 0; i < original.exec().size(); i++) {
      ExecOutcome o = original.exec().get(i);
      ExecOutcome s = slim.exec().get(i);
      int want = o.result().exitCode();
      int got = s.result().exitCode();
      boolean same = want == got && !s.result().timedOut();
      String name = "EXEC " + o.command().text();
      out.add(same ? ProbeComparison.match(name, want, got, ComparedOn.STATUS, false)
          : ProbeComparison.mismatch(name, want, got, ComparedOn.STATUS, false, false,
              (s.result().timedOut() ? "did not finish in time" : "exit code " + got + " instead of " + want)
                  + lastLine(s.result().outputText())));
    }
    for (int i = 0; i < original.hostExec().size(); i++) {
      out.add(compareHostExec(original.hostExec().get(i), slim.hostExec().get(i)));
    }
    return out;
  }

  /**
   * A host-exec command's runs on the slim image against its run on the original. A
   * difference names both exit codes, whether a rerun confirmed it, and the last lines of the
   * slim run's output: the line the user reads to see which test failed.
   */
  static ProbeComparison compareHostExec(HostExecOutcome original, HostExecOutcome slim) {
    HostExecResult want = original.result();
    HostExecResult got = slim.result();
    String name = original.command().describe();
    if (ProbeDriver.sameEnd(want, got)) {
      return ProbeComparison.match(name, want.exitCode(), got.exitCode(), ComparedOn.STATUS, false);
    }
    String end = got.timedOut() ? "no exit within the --host-exec-timeout" : "exit code " + got.exitCode();
    String output = got.lastLines(3, 300);
    return ProbeComparison.mismatch(name, want.exitCode(), got.exitCode(), ComparedOn.STATUS, false, false,
        end + " on the slim image, " + want.exitCode() + " on the original"
            + (slim.rerun() ? " (the same on a rerun, so not a flaky test)" : "")
            + (output.isEmpty() ? "; no output" : "; its output ended: " + output));
  }

  /** Whether every difference of a first pass is one a second run of the original could explain. */
  public static boolean worthConfirming(List<ProbeComparison> comparisons) {
    boolean any = false;
    for (ProbeComparison c : comparisons) {
      if (!c.matches()) {
        if (!c.confirmable()) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /**
   * The second pass over the confirmable differences of {@code first}, with the original's
   * answers from a second run ({@code again}, the same requests in the same order). A probe
   * the original answered with the same bytes in both runs keeps its difference: the slim
   * image really answers otherwise. Any other is run-dependent: it matches when the slim
   * image's answer is the second run's bytes, or keeps what all the original's answers kept.
   */
  public static List<ProbeComparison> confirm(ProbeRecording original, Replay slim, Replay again, LoosePaths loose,
      List<ProbeComparison> first) {
    List<ProbeComparison> out = new ArrayList<>(first);
    for (int i = 0; i < original.http().size(); i++) {
      ProbeComparison c = first.get(i);
      if (c.matches() || !c.confirmable()) {
        continue;
      }
      ProbeOutcome o = original.http().get(i);
      HttpAnswer rerun = again.http().get(i);
      HttpAnswer s = slim.http().get(i);
      if (rerun.sameContent(o.first())) {
        out.set(i, ProbeComparison.mismatch(c.probe(), c.originalStatus(), c.slimStatus(), c.comparedOn(), false,
            false, c.difference() + "; a second run of the original answered the same bytes as the first"));
        continue;
      }
      if (rerun.sameContent(s)) {
        out.set(i, ProbeComparison.match(c.probe(), c.originalStatus(), c.slimStatus(), ComparedOn.BODY, true));
        continue;
      }
      out.set(i, compare(o.first(), s, level(o, List.of(o.first(), o.second(), rerun), loose), true));
    }
    return out;
  }

  /** What the original's answers to a probe agree on, no stricter than type where the user chose a loose path. */
  private static ComparedOn level(ProbeOutcome probe, List<HttpAnswer> originals, LoosePaths loose) {
    ComparedOn on = agreement(originals);
    return loose.matches(probe.result().probe()) ? on.atMost(ComparedOn.TYPE) : on;
  }

  /**
   * The strictest level on which the original's answers agree (answers that failed do not
   * count): the same bytes, the same shape and type, the same type, or only the status.
   */
  static ComparedOn agreement(List<HttpAnswer> answers) {
    List<HttpAnswer> answered = answers.stream().filter(a -> a.result().answered()).toList();
    if (answered.isEmpty()) {
      return ComparedOn.STATUS;
    }
    HttpAnswer head = answered.get(0);
    if (answered.stream().anyMatch(a -> a.result().status() != head.result().status())) {
      return ComparedOn.STATUS;
    }
    if (answered.stream().allMatch(a -> a.sameContent(head))) {
      return ComparedOn.BODY;
    }
    if (answered.stream().anyMatch(a -> !a.mediaType().equals(head.mediaType()))) {
      return ComparedOn.STATUS;
    }
    return answered.stream().allMatch(a -> a.sameShape(head)) ? ComparedOn.SHAPE : ComparedOn.TYPE;
  }

  static ProbeComparison compare(HttpAnswer original, HttpAnswer slim, ComparedOn on, boolean runDependent) {
    ProbeResult orig = original.result();
    ProbeResult s = slim.result();
    String name = orig.probe().describe();
    if (!s.answered()) {
      return ProbeComparison.mismatch(name, orig.status(), s.status(), on, runDependent, false,
          "no response from the slim image: " + s.error());
    }
    if (orig.status() != s.status()) {
      return ProbeComparison.mismatch(name, orig.status(), s.status(), on, runDependent, false,
          "status " + s.status() + " instead of " + orig.status());
    }
    String difference = switch (on) {
      case BODY -> slim.sameContent(original) ? "" : BodyExcerpt.describe("body differs", original, slim);
      case SHAPE -> !slim.mediaType().equals(original.mediaType()) ? typeDiffers(original, slim)
          : slim.sameShape(original) ? "" : BodyExcerpt.describeShape("body differs beyond its numbers",
              original, slim);
      case TYPE -> slim.mediaType().equals(original.mediaType()) ? "" : typeDiffers(original, slim);
      case STATUS -> "";
    };
    return difference.isEmpty() ? ProbeComparison.match(name, orig.status(), s.status(), on, runDependent)
        : ProbeComparison.mismatch(name, orig.status(), s.status(), on, runDependent, true, difference);
  }

  private static String typeDiffers(HttpAnswer original, HttpAnswer slim) {
    return "content type '" + slim.mediaType() + "' instead of '" + original.mediaType() + "'";
  }

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.isEmpty() ? "" : " (" + lines.get(lines.size() - 1) + ")";
  }
}
