package io.minify.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One watched run of a build as {@code minify merge} needs it to select and verify again without
 * running the original: the run's settings, what the original answered (enough for the
 * comparison of verification: statuses, media types, body digests and shapes, whether a body
 * stayed the same within the run) and what the run opened. A report lists one per run (the
 * build's own, or one per scenario) in {@code runs}. Paths are written as {@code UnixPath}
 * prints them, which names exactly one byte string ({@code \xHH} for a byte that is not UTF-8).
 *
 * @param name     "" for a build without scenarios; the scenario's name; in a merge's report, the run's
 *                 name there ("r1.json", "r1.json:web")
 * @param settings how its containers ran
 * @param probing  the probe settings a replay of its probes uses
 * @param http     its HTTP probes, in the order sent, with the original's two answers
 * @param tcp      its TCP probes
 * @param exec     its {@code --exec} commands
 * @param ending   how its probe stage ended, and what it found of the ports
 * @param access   what the monitor (and the engine's list of changes) saw it open, execute and write
 * @param hostExec its {@code --host-exec} commands (none in a report older than them)
 */
public record RecordedRun(String name, Settings settings, Probing probing, List<Http> http, List<Tcp> tcp,
    List<Exec> exec, Ending ending, Access access, List<HostExec> hostExec) {

  public RecordedRun {
    http = List.copyOf(http);
    tcp = List.copyOf(tcp);
    exec = List.copyOf(exec);
    hostExec = hostExec == null ? List.of() : List.copyOf(hostExec);
  }

  /**
   * One {@code --host-exec} command and how it ended against the original: its exit code is what
   * the slim image's run must end with again.
   *
   * @param command       the shell command line, as given
   * @param timeoutMillis its time limit ({@code --host-exec-timeout})
   * @param outputTail    the last bytes of its output (base64 in the JSON)
   */
  public record HostExec(String command, long timeoutMillis, int exitCode, byte[] outputTail, long outputBytes,
      long millis, boolean timedOut) {
    public HostExec {
      outputTail = outputTail.clone();
    }

    @Override
    public byte[] outputTail() {
      return outputTail.clone();
    }
  }

  /**
   * The run's container settings (the build's {@code RunSettings}, with the scenario's fields in place).
   *
   * @param env            "KEY=VALUE", in order
   * @param entrypoint     null: the image's
   * @param cmd            null: the image's (or none, with an entrypoint)
   * @param fixedHostPorts container port to the host port it was published on ({@code --publish-port})
   */
  public record Settings(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user,
      String network, List<Mount> mounts, List<Integer> exposedPorts, Map<Integer, Integer> fixedHostPorts) {
    public Settings {
      env = List.copyOf(env);
      mounts = List.copyOf(mounts);
      exposedPorts = List.copyOf(exposedPorts);
      fixedHostPorts = Collections.unmodifiableMap(new LinkedHashMap<>(fixedHostPorts));
    }
  }

  /** A bind ({@code volume} false: {@code source} is a host path) or a named volume. */
  public record Mount(boolean volume, String source, String target, boolean readOnly) {}

  /**
   * What a replay of the run's probes waits for and how it retries.
   *
   * @param loosePaths the {@code --verify-loose} patterns its answers are compared under
   */
  public record Probing(long startTimeoutMillis, long startWaitMillis, int retries, long retryWaitMillis,
      long requestTimeoutMillis, List<String> loosePaths) {
    public Probing {
      loosePaths = List.copyOf(loosePaths);
    }
  }

  /**
   * One HTTP probe: the request, and the original's first and second answers.
   *
   * @param protocol "http", "https" or "auto" (as the request was planned)
   * @param source   where it came from ("default", "cmd", "file", "crawl", "apispec")
   * @param body     the request body's bytes (base64 in the JSON)
   */
  public record Http(String protocol, String method, String path, int port, Map<String, String> headers, byte[] body,
      String source, Answer first, Answer second) {
    public Http {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /**
   * One answer of the original, as verification compares with it (no body bytes).
   *
   * @param protocol   the protocol that answered ("http", "https"); null when nothing answered
   * @param status     -1 when nothing answered
   * @param bodySha256 hex; null when nothing answered
   * @param mediaType  the Content-Type without parameters, lower case; "" when absent
   * @param shape      the body's shape ("text:<sha256>", "bytes:<length>"); "" when unknown
   * @param json       the digest of a JSON body's canonical form; "" when not JSON
   */
  public record Answer(String protocol, int status, long bodyBytes, String bodySha256, long millis, int attempts,
      String error, String mediaType, String shape, String json) {}

  /**
   * One TCP probe and how the original answered it.
   *
   * @param send   bytes written after connecting (base64 in the JSON)
   * @param expect bytes the answer had to contain (base64 in the JSON)
   */
  public record Tcp(int port, byte[] send, byte[] expect, boolean connected, boolean matched, long received,
      long millis) {
    public Tcp {
      send = send.clone();
      expect = expect.clone();
    }

    @Override
    public byte[] send() {
      return send.clone();
    }

    @Override
    public byte[] expect() {
      return expect.clone();
    }
  }

  /**
   * One {@code --exec} command and how it ended in the original.
   *
   * @param command as the user wrote it
   * @param argv    what was executed
   * @param output  the last bytes of its output (base64 in the JSON)
   */
  public record Exec(String command, List<String> argv, int exitCode, byte[] output, long millis, boolean timedOut) {
    public Exec {
      argv = List.copyOf(argv);
      output = output.clone();
    }

    @Override
    public byte[] output() {
      return output.clone();
    }
  }

  /**
   * How the probe stage ended and what it found of the ports (the report's {@code probing}, plus
   * what a replay needs).
   *
   * @param continuedAfter the {@code --continue-after} mode that ended it ("probe", "timeout:30", ...)
   * @param appExited      whether the app exited on its own with 0 first (the slim one must too)
   */
  public record Ending(String continuedAfter, boolean appExited, List<Integer> readyPorts, List<Integer> unreadyPorts,
      List<OtherPort> otherPorts, List<String> crawledPages, boolean crawlTruncated, List<String> crawlSkipped) {
    public Ending {
      readyPorts = List.copyOf(readyPorts);
      unreadyPorts = List.copyOf(unreadyPorts);
      otherPorts = List.copyOf(otherPorts);
      crawledPages = List.copyOf(crawledPages);
      crawlSkipped = List.copyOf(crawlSkipped);
    }
  }

  /** An exposed port that spoke something other than HTTP, with what it did with an HTTP request. */
  public record OtherPort(int port, String evidence) {}

  /**
   * What the run opened, sorted: the monitor's access log with what the engine said it changed.
   *
   * @param processUids the user ids the app's processes ran as
   */
  public record Access(List<String> files, List<String> directories, List<String> executed, List<String> written,
      List<Integer> processUids, long events) {
    public Access {
      files = List.copyOf(files);
      directories = List.copyOf(directories);
      executed = List.copyOf(executed);
      written = List.copyOf(written);
      processUids = List.copyOf(processUids);
    }
  }
}
