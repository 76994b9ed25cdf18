package io.minify.cli;

import io.minify.pipeline.BuildOptions;
import io.minify.probe.HttpProbe;
import io.minify.probe.PlannedProbe;
import io.minify.probe.ProbeCommandParser;
import io.minify.probe.ProbeSource;
import io.minify.probe.apispec.ApiSpecRequests;
import io.minify.probe.crawl.CrawlLimits;
import io.minify.probe.file.ProbeFileParser;
import io.minify.probe.tcp.TcpProbe;
import io.minify.run.ContinueAfter;
import io.minify.run.ExecCommand;
import io.minify.run.HostExecCommand;
import io.minify.run.ProbeSettings;
import io.minify.verify.LoosePaths;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the app is driven while minify watches it. {@link #validate} reads and checks every
 * file and value (probe file, API spec file, exec file...) so that bad input stops the build
 * before any container exists; {@link #applyTo} only uses what it parsed.
 */
final class ProbeOptions {

  @Option(names = "--http-probe", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = {"Probe with HTTP GET / on every exposed port (default: on).",
          "--no-http-probe is --http-probe-off."})
  boolean httpProbe;

  @Option(names = "--http-probe-off",
      description = {"No HTTP probing.",
          "A non-HTTP app is driven or watched by --tcp-probe, --exec, --host-exec or --continue-after."})
  boolean httpProbeOff;

  @Option(names = "--http-probe-cmd", paramLabel = "[PROTO:]METHOD:PATH", converter = ProbeCommand.class,
      description = {"An extra probe, repeatable, such as GET:/health, post:/api/items or https:get:/.",
          "It runs on every probed port, after GET /."})
  List<PlannedProbe> probeCommands = new ArrayList<>();

  @Option(names = "--http-probe-cmd-file", paramLabel = "FILE",
      description = "A JSON file of full requests: method, path, port, protocol, headers, body or bodyFile,"
          + " basicAuth, expectStatus.")
  Path probeFile;

  @Option(names = "--http-probe-ports", paramLabel = "PORT[,PORT...]", hideParamSyntax = true, split = ",",
      converter = HttpPort.class,
      description = "Probe only these exposed ports over HTTP (default: every exposed TCP port).")
  List<Integer> httpPorts = new ArrayList<>();

  @Option(names = "--http-probe-start-wait", paramLabel = "SECONDS", defaultValue = "0",
      description = "Wait this long after the start before the first probe (default: ${DEFAULT-VALUE}).")
  int startWaitSeconds;

  @Option(names = "--http-probe-retry-count", paramLabel = "N", defaultValue = "2",
      description = "Retries of a probe that got no complete response (default: ${DEFAULT-VALUE}).")
  int retryCount;

  @Option(names = "--http-probe-retry-wait", paramLabel = "SECONDS", defaultValue = "0.5",
      description = "The pause between those retries (default: ${DEFAULT-VALUE}).")
  double retryWaitSeconds;

  @Option(names = "--http-probe-request-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long one HTTP request, readiness checks included, may take until its response is complete"
          + " (default: ${DEFAULT-VALUE}).")
  int requestTimeoutSeconds;

  /** Null when not given: the crawl then runs whenever HTTP probing does. */
  @Option(names = "--http-probe-crawl", negatable = true, arity = "0..1", fallbackValue = "true",
      paramLabel = "true|false",
      description = {"Follow same-origin links and assets (HTML, CSS url(), srcset, preloads) from / on every probed"
          + " port (default: on with HTTP probing).",
          "--no-http-probe-crawl or --http-probe-crawl=false turns it off."})
  Boolean crawl;

  @Option(names = "--http-crawl-max-depth", paramLabel = "N", defaultValue = "3",
      description = "The link hops from / the crawler follows (default: ${DEFAULT-VALUE}).")
  int crawlMaxDepth;

  @Option(names = "--http-crawl-max-pages", paramLabel = "N", defaultValue = "1000",
      description = "The most requests the crawler makes (default: ${DEFAULT-VALUE}).")
  int crawlMaxPages;

  @Option(names = "--http-crawl-concurrency", paramLabel = "N", defaultValue = "4",
      description = "Requests in flight at once to a port: the crawler's, and any others of probing and"
          + " verification that may go side by side (default: ${DEFAULT-VALUE}).")
  int crawlConcurrency;

  @Option(names = "--http-probe-apispec", paramLabel = "FILE|/PATH",
      description = {"An OpenAPI 3 or Swagger 2 spec (JSON or YAML): a file, or a path the app serves it on.",
          "Every operation it describes is called."})
  String apiSpec;

  @Option(names = "--exec", paramLabel = "CMD",
      description = {"A command to run inside the container after the probes, once every published port accepts"
          + " connections, repeatable.",
          "The programs it names are kept with their libraries.",
          "A JSON array runs without a shell."})
  List<String> execs = new ArrayList<>();

  @Option(names = "--exec-file", paramLabel = "FILE",
      description = "Commands to run inside the container, one per line (# comments).")
  Path execFile;

  @Option(names = "--host-exec", paramLabel = "CMD",
      description = {"A command to run on this host (through /bin/sh -c, in this directory) after the other probes,"
          + " repeatable: your own test suite, whose requests drive the app while it is watched.",
          "It finds the app in MINIFY_TARGET_HOST, MINIFY_TARGET_PORT_<container port>, MINIFY_TARGET_PORT and"
          + " MINIFY_TARGET_URL.",
          "It runs again against the slim image, which must give the same exit code."})
  List<String> hostExecs = new ArrayList<>();

  @Option(names = "--host-exec-file", paramLabel = "FILE",
      description = "Commands to run on this host, one per line (blank lines and # comments skipped).")
  Path hostExecFile;

  @Option(names = "--host-exec-timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "How long one host-exec command may run before it is killed (default: ${DEFAULT-VALUE}).")
  int hostExecTimeoutSeconds;

  @Option(names = "--tcp-probe", paramLabel = "PORT[:SEND[:EXPECT]]", converter = TcpProbeSpec.class,
      description = {"Connect to an exposed port, optionally send and expect bytes (\\r \\n \\xHH escapes),"
          + " repeatable.",
          "For example 6379:PING\\r\\n:+PONG asks Redis for +PONG."})
  List<TcpProbe> tcpProbes = new ArrayList<>();

  @Option(names = "--continue-after", paramLabel = "MODE", defaultValue = "probe", converter = ContinueMode.class,
      description = {"When to stop watching: probe, exec, host-exec, timeout:N, signal (SIGUSR1) or enter"
          + " (default: ${DEFAULT-VALUE})."})
  ContinueAfter continueAfter;

  @Option(names = "--verify-loose", paramLabel = "PATH-PATTERN",
      description = {"Compare the slim image's answers to requests whose path matches on status and content type"
          + " only, repeatable (/status, /books/*, /api/**).",
          "Give it for pages you know to show what differs from run to run.",
          "Without it, minify finds such pages itself by running the original a second time."})
  List<String> loosePaths = new ArrayList<>();

  @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long the app may take until its ports answer (default: ${DEFAULT-VALUE}).")
  int startTimeoutSeconds;

  private List<PlannedProbe> parsedProbes = List.of();
  private List<HttpProbe> specProbes = List.of();
  private String specPath;
  private List<ExecCommand> parsedExecs = List.of();
  private List<HostExecCommand> parsedHostExecs = List.of();
  private LoosePaths parsedLoose = LoosePaths.none();

  void validate(CommandLine line) {
    boolean http = httpProbe && !httpProbeOff;
    List<PlannedProbe> probes = new ArrayList<>(probeCommands);
    if (probeFile != null) {
      try {
        probes.addAll(ProbeFileParser.parse(probeFile));
      } catch (IllegalArgumentException e) {
        throw bad(line, "--http-probe-cmd-file: " + e.getMessage());
      }
    }
    parsedProbes = List.copyOf(probes);
    if (startTimeoutSeconds <= 0) {
      throw bad(line, "--start-timeout must be a positive number of seconds");
    }
    if (startWaitSeconds < 0) {
      throw bad(line, "--http-probe-start-wait must not be negative");
    }
    if (retryCount < 0) {
      throw bad(line, "--http-probe-retry-count must not be negative");
    }
    if (!(retryWaitSeconds >= 0) || retryWaitSeconds > 3600) {
      throw bad(line, "--http-probe-retry-wait must be 0 to 3600 seconds");
    }
    if (requestTimeoutSeconds < 1 || requestTimeoutSeconds > 3600) {
      throw bad(line, "--http-probe-request-timeout must be 1 to 3600 seconds");
    }
    if (crawlMaxDepth < 0 || crawlMaxPages < 1 || crawlConcurrency < 1) {
      throw bad(line, "--http-crawl-max-depth must be >= 0, --http-crawl-max-pages and --http-crawl-concurrency >= 1");
    }
    if (apiSpec != null) {
      parseSpec(line);
    }
    try {
      parsedLoose = new LoosePaths(loosePaths);
    } catch (IllegalArgumentException e) {
      throw bad(line, "--verify-loose: " + e.getMessage());
    }
    parsedExecs = List.copyOf(execCommands(line));
    parsedHostExecs = List.copyOf(hostExecCommands(line));
    if (hostExecTimeoutSeconds < 1 || hostExecTimeoutSeconds > 86_400) {
      throw bad(line, "--host-exec-timeout must be 1 to 86400 seconds");
    }
    if (continueAfter.mode() == ContinueAfter.Mode.ENTER && System.console() == null) {
      throw bad(line, "--continue-after enter: stdin is not a terminal (use timeout:N or signal when not interactive)");
    }
    if (continueAfter.mode() == ContinueAfter.Mode.EXEC && parsedExecs.isEmpty()) {
      throw bad(line, "--continue-after exec: there is no --exec or --exec-file command");
    }
    if (continueAfter.mode() == ContinueAfter.Mode.HOST_EXEC && parsedHostExecs.isEmpty()) {
      throw bad(line, "--continue-after host-exec: there is no --host-exec or --host-exec-file command");
    }
    if (!http) {
      String unused = !probeCommands.isEmpty() ? "--http-probe-cmd" : probeFile != null ? "--http-probe-cmd-file"
          : Boolean.TRUE.equals(crawl) ? "--http-probe-crawl" : apiSpec != null ? "--http-probe-apispec"
          : !httpPorts.isEmpty() ? "--http-probe-ports" : !loosePaths.isEmpty() ? "--verify-loose" : null;
      if (unused != null) {
        throw bad(line, unused + " needs HTTP probing, which --http-probe-off turns off");
      }
      if (tcpProbes.isEmpty() && parsedExecs.isEmpty() && parsedHostExecs.isEmpty()
          && !continueAfter.waitsBeyondProbes()) {
        throw bad(line, "--http-probe-off: nothing would drive the app; add --tcp-probe, --exec, --host-exec or"
            + " --continue-after timeout:N|signal|enter");
      }
    }
  }

  private void parseSpec(CommandLine line) {
    Path file = Path.of(apiSpec);
    if (Files.isRegularFile(file)) {
      try {
        specProbes = ApiSpecRequests.fromText(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw bad(line, "--http-probe-apispec: cannot read " + file + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw bad(line, "--http-probe-apispec: " + file + " " + e.getMessage());
      }
      if (specProbes.isEmpty()) {
        throw bad(line, "--http-probe-apispec: " + file + " has no operations");
      }
    } else if (apiSpec.startsWith("/") && !apiSpec.contains(" ")) {
      specPath = apiSpec; // fetched from the app once it answers
    } else {
      throw bad(line, "--http-probe-apispec: '" + apiSpec + "' is neither a file nor a URL path starting with '/'");
    }
  }

  /** Whether commands run in the container beside the app ({@code --exec}, {@code --exec-file}); after validate. */
  boolean drivesWithExec() {
    return !parsedExecs.isEmpty();
  }

  private List<ExecCommand> execCommands(CommandLine line) {
    List<String> texts = new ArrayList<>(execs);
    String origin = "--exec";
    if (execFile != null) {
      try {
        Files.readAllLines(execFile, StandardCharsets.UTF_8).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(texts::add);
      } catch (IOException e) {
        throw bad(line, "--exec-file: cannot read " + execFile + ": " + e.getMessage());
      }
      if (texts.size() == execs.size()) {
        throw bad(line, "--exec-file: " + execFile + " holds no command");
      }
    }
    List<ExecCommand> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(ExecCommand.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        throw bad(line, (i < execs.size() ? origin : "--exec-file " + execFile) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** The --host-exec commands, then the --host-exec-file's, each checked. */
  private List<HostExecCommand> hostExecCommands(CommandLine line) {
    List<HostExecCommand> out = new ArrayList<>();
    for (String text : hostExecs) {
      try {
        out.add(HostExecCommand.parse(text));
      } catch (IllegalArgumentException e) {
        throw bad(line, "--host-exec: " + e.getMessage());
      }
    }
    if (hostExecFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(hostExecFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw bad(line, "--host-exec-file: cannot read " + hostExecFile + ": " + reason(e));
      }
      int before = out.size();
      for (int i = 0; i < lines.size(); i++) {
        String text = lines.get(i).strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        try {
          out.add(HostExecCommand.parse(text));
        } catch (IllegalArgumentException e) {
          throw bad(line, "--host-exec-file " + hostExecFile + " line " + (i + 1) + ": " + e.getMessage());
        }
      }
      if (out.size() == before) {
        throw bad(line, "--host-exec-file: " + hostExecFile + " holds no command");
      }
    }
    return out;
  }

  /** What went wrong reading a file, said plainly: the JDK's messages for these are the bare path. */
  private static String reason(IOException e) {
    return e instanceof NoSuchFileException ? "no such file"
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof CharacterCodingException ? "not UTF-8 text"
        : String.valueOf(e.getMessage());
  }

  /** [PROTO:]METHOD:PATH, a probe of the command line. */
  static final class ProbeCommand implements CommandLine.ITypeConverter<PlannedProbe> {
    @Override
    public PlannedProbe convert(String cmd) {
      try {
        return PlannedProbe.of(ProbeCommandParser.parse(cmd), ProbeSource.CMD);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  static final class HttpPort implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String port) {
      try {
        int p = Integer.parseInt(port.strip());
        if (p >= 1 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // said below, as for a number out of range
      }
      throw BadValue.because(port + " is not a TCP port (1-65535)");
    }
  }

  static final class TcpProbeSpec implements CommandLine.ITypeConverter<TcpProbe> {
    @Override
    public TcpProbe convert(String spec) {
      try {
        return TcpProbe.parse(spec);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  static final class ContinueMode implements CommandLine.ITypeConverter<ContinueAfter> {
    @Override
    public ContinueAfter convert(String mode) {
      try {
        return ContinueAfter.parse(mode);
      } catch (IllegalArgumentException e) {
        throw BadValue.because(e.getMessage());
      }
    }
  }

  private static CommandLine.ParameterException bad(CommandLine line, String message) {
    return new CommandLine.ParameterException(line, message);
  }

  BuildOptions.Builder applyTo(BuildOptions.Builder options) {
    boolean http = httpProbe && !httpProbeOff;
    boolean crawling = crawl == null ? http : crawl;
    return options.probing(new ProbeSettings(http, parsedProbes, httpPorts,
        Duration.ofSeconds(startTimeoutSeconds), Duration.ofSeconds(startWaitSeconds), retryCount,
        Duration.ofMillis(Math.round(retryWaitSeconds * 1000)), Duration.ofSeconds(requestTimeoutSeconds),
        crawling ? new CrawlLimits(crawlMaxDepth, crawlMaxPages, crawlConcurrency) : null, specPath, specProbes,
        tcpProbes, parsedExecs, continueAfter)
        .withHostExecs(parsedHostExecs, Duration.ofSeconds(hostExecTimeoutSeconds))).loosePaths(parsedLoose);
  }
}
