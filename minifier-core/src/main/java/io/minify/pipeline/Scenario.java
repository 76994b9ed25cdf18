package io.minify.pipeline;

import io.minify.probe.PlannedProbe;
import io.minify.run.ContinueAfter;
import io.minify.run.ExecCommand;
import io.minify.run.HostExecCommand;
import io.minify.run.ProbeSettings;
import io.minify.run.RunSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One run of the image that the build watches and verifies ({@code --scenarios FILE}): the
 * build's own options, with what this scenario sets in their place. A field left null keeps
 * the build's option; a scenario with every field null is the plain build.
 *
 * @param name          unique in the build, {@code [a-z0-9-]+}: progress lines, failures and the
 *                      report name the scenario by it
 * @param entrypoint    replaces {@code --entrypoint} (and, as there, drops CMD unless {@code cmd} is set)
 * @param cmd           replaces {@code --cmd}
 * @param env           added to the build's env, after it (a key set in both is the scenario's)
 * @param workdir       replaces {@code --workdir}
 * @param user          replaces {@code --user}
 * @param httpProbe     replaces whether HTTP probing runs ({@code --http-probe} / {@code --http-probe-off})
 * @param probes        replaces the {@code --http-probe-cmd} and probe file probes
 * @param exec          replaces the {@code --exec} commands
 * @param continueAfter replaces {@code --continue-after}
 * @param hostExec      replaces the {@code --host-exec} commands (the test suite run on the host
 *                      against this scenario's published ports)
 */
public record Scenario(
    String name,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    String workdir,
    String user,
    Boolean httpProbe,
    List<PlannedProbe> probes,
    List<ExecCommand> exec,
    ContinueAfter continueAfter,
    List<HostExecCommand> hostExec) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

  public Scenario {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a scenario's name is [a-z0-9-]+, not '" + name + "'");
    }
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = env == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    probes = probes == null ? null : List.copyOf(probes);
    exec = exec == null ? null : List.copyOf(exec);
    hostExec = hostExec == null ? null : List.copyOf(hostExec);
  }

  /** A scenario that changes nothing: the build's options as they are. */
  public static Scenario plain(String name) {
    return new Scenario(name, null, null, null, null, null, null, null, null, null, null);
  }

  /** {@code build}'s options with this scenario's fields in place of theirs; the scenario list goes. */
  public BuildOptions applyTo(BuildOptions build) {
    RunSettings r = build.run();
    List<String> allEnv = new ArrayList<>(r.env());
    if (env != null) {
      env.forEach((k, v) -> allEnv.add(k + "=" + v));
    }
    // as docker run: a new entrypoint drops the image's CMD, and so the build's --cmd, unless the scenario sets one
    List<String> newEntrypoint = entrypoint != null ? entrypoint : r.entrypoint();
    List<String> newCmd = cmd != null ? cmd : entrypoint != null ? null : r.cmd();
    RunSettings run = new RunSettings(allEnv, r.mounts(), r.network(), newEntrypoint, newCmd,
        workdir != null ? workdir : r.workingDir(), user != null ? user : r.user(), r.exposedPorts(),
        r.fixedHostPorts());
    ProbeSettings p = build.probing();
    boolean http = httpProbe != null ? httpProbe : p.http();
    ProbeSettings probing = new ProbeSettings(http, probes != null ? probes : p.httpProbes(), p.httpPorts(),
        p.startTimeout(), p.startWait(), p.retries(), p.retryWait(), p.requestTimeout(), http ? p.crawl() : null,
        http ? p.apiSpecPath() : null, http ? p.apiSpecProbes() : List.of(), p.tcpProbes(),
        exec != null ? exec : p.execs(), continueAfter != null ? continueAfter : p.continueAfter(),
        hostExec != null ? hostExec : p.hostExecs(), p.hostExecTimeout());
    return build.toBuilder().run(run).probing(probing).scenarios(List.of()).build();
  }
}
