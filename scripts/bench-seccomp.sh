#!/usr/bin/env bash
# Syscall tracer cost benchmark (`scripts/bench.sh seccomp-cost [PAIRS]`): what recording the
# app's syscalls for --seccomp-profile costs the app. As in a build, the tracer
# (FtraceSyscallTracer, in a JVM of its own with the launcher's bounds: SyscallBenchMain in
# probe-agent's test classes, compiled here with Maven) is armed on the container's init while
# it waits at a gate, before it execs the app, so every process and thread of the app is
# traced from its first syscall; unarmed runs go through the same gate. Every run is a fresh
# container (a tracer follows a process tree from its start, and cannot be armed on a running
# one). Alternating pairs, armed and not (the order flips every pair), PAIRS pairs of the
# first, four times as many of the second:
#
#   files     the 100,000 files workload (scripts/bench-files-image.sh): open, read and close
#             each of 100,000 files once, then all of them 10 more times (1.1 million opens,
#             3.3 million syscalls), timed inside the container.
#   requests  requests per second of minify-sample/go-http:1.0 on /lazy (which opens its
#             template on every request) under wrk for 2 s, after 1 s of wrk not counted.
#
# The ratio is the median of the pairs' own ratios (a pair runs back to back, so the load of
# other work on the machine mostly cancels out); the medians of each side are printed too.
# An armed run fails when the kernel dropped a syscall event. Prints a table with the
# tracer's syscalls seen and CPU seconds (its JVM's, from arm to the end of stop), and writes
# bench/results/seccomp-cost-<UTC time>.json with every run. The containers
# (minify-bench-seccomp-*) are removed. PAIRS defaults to 3 (about 3 minutes). Needs root
# (tracefs).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
pairs=${1:-3}
[ "$pairs" -ge 3 ] || { echo "bench: at least 3 pairs" >&2; exit 2; }

scripts/prereqs.sh
scripts/engine.sh
scripts/base-images.sh bookworm
scripts/build-samples.sh go-http
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk
fi
work=$(mktemp -d)
trap 'docker rm -f minify-bench-seccomp-files minify-bench-seccomp-http >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# Compiled every time (quick when nothing changed): the tracer measured is this checkout's.
if ! mvn -B -q -o -Dstyle.color=never -pl probe-agent -am test-compile > "$work/mvn.log" 2>&1; then
  cat "$work/mvn.log" >&2
  exit 3
fi
classpath="probe-agent/target/classes:probe-agent/target/test-classes:base/target/classes"
bounds=$(sed -n 's/^bounds="\(.*\)"$/\1/p' cli/src/main/dist/minify)
files_image=$(scripts/bench-files-image.sh)

# The gate: the container's init waits for a file of a bind-mounted directory, then execs the
# app (static, so it runs in any image).
mkdir "$work/gate"
cat > "$work/gate.c" <<'C'
#include <stdio.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: gate FILE COMMAND...\n"); return 2; }
  struct timespec pause = {0, 5000000};
  while (access(argv[1], F_OK) != 0) nanosleep(&pause, NULL);
  execvp(argv[2], argv + 2);
  perror(argv[2]);
  return 127;
}
C
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$work/gate/gate" "$work/gate.c"

mkdir -p bench/results
python3 - "$pairs" "bench/results/seccomp-cost-$(date -u +%Y%m%dT%H%M%SZ).json" "$classpath" "$bounds" \
  "$work/gate" "$files_image" <<'PY'
import json, os, platform, re, statistics, subprocess, sys, time, urllib.request
pairs, dest, classpath, bounds, gate, files_image = (int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].split(),
                                                     sys.argv[5], sys.argv[6])
GO = os.path.join(gate, "go")

def docker(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True).stdout.strip()

class Tracer:
    """SyscallBenchMain: one JVM for all the runs, a tracer armed and stopped on request."""

    def __init__(self):
        self.jvm = subprocess.Popen(["java", *bounds, "-cp", classpath, "io.minify.sensor.syscall.SyscallBenchMain"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, command):
        self.jvm.stdin.write(command + "\n")
        self.jvm.stdin.flush()
        line = self.jvm.stdout.readline().strip()
        if not line:
            sys.exit(f"bench: the tracer failed on {command} (see its error above)")
        return line

    def arm(self, pid):
        if self.ask(f"arm {pid}") != "armed":
            sys.exit("bench: the tracer did not arm")

    def stop(self):
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", self.ask("stop"))}

    def close(self):
        self.jvm.stdin.close()
        self.jvm.wait()

tracer = Tracer()

def gated(name, image, command, publish=()):
    """Starts a container of image waiting at the gate; returns its init's host pid."""
    if os.path.exists(GO):
        os.remove(GO)
    docker("rm", "-f", name)
    docker("run", "-d", "--name", name, "--label", "io.minify.bench=seccomp", *publish,
           "-v", f"{gate}:/minify-bench-gate:ro", "--entrypoint", "/minify-bench-gate/gate", image,
           "/minify-bench-gate/go", *command)
    return docker("inspect", "-f", "{{.State.Pid}}", name)

def release():
    open(GO, "w").close()

def files_run(armed):
    name = "minify-bench-seccomp-files"
    pid = gated(name, files_image, ["monitor-workload", "run", "/data", "10"])
    if armed:
        tracer.arm(pid)
    release()
    code = docker("wait", name)
    r = {"tracer": tracer.stop()} if armed else {}
    out = docker("logs", name)
    docker("rm", "-f", name)
    if code != "0":
        sys.exit(f"bench: the files workload exited {code}: {out}")
    times = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", out)}
    return {**r, **times, "total": round(times["first"] + times["again"], 4)}

def wrk(url, seconds):
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    if errors:
        sys.exit(f"bench: wrk saw errors: {errors.group(0)}")
    return float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))

def http_run(armed):
    name = "minify-bench-seccomp-http"
    pid = gated(name, "minify-sample/go-http:1.0", ["/app/go-http"], ["-p", "127.0.0.1::8080"])
    if armed:
        tracer.arm(pid)
    release()
    port = docker("port", name, "8080/tcp").split("\n")[0].rsplit(":", 1)[1]
    url = f"http://127.0.0.1:{port}/lazy"
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit(f"bench: go-http does not answer on {url}")
    wrk(url, 1)  # the app's first requests (and the tracer's learning of its syscalls) not counted
    rate = wrk(url, 2)
    r = {"tracer": tracer.stop()} if armed else {}
    docker("rm", "-f", name)
    return {**r, "requestsPerSecond": rate}

def measure(pairs, run):
    runs = []
    run(True)  # warm-up, not counted: page cache, the image's layers, the tracer's classes
    run(False)
    for i in range(pairs):
        for armed in ((True, False) if i % 2 == 0 else (False, True)):
            runs.append({"pair": i, "armed": armed, **run(armed)})
    return runs

# a wrk run is short and its rate swings with the machine's load far more than the files
# workload's time does, so it gets four times the pairs
pairs_of = {"files": pairs, "requests": 4 * pairs}
results = {"files": measure(pairs_of["files"], files_run), "requests": measure(pairs_of["requests"], http_run)}
tracer.close()

def median(runs, armed, key):
    return statistics.median(r[key] for r in runs if r["armed"] == armed)

def pair_ratios(runs, key):
    side = {(r["pair"], r["armed"]): r[key] for r in runs}
    return [side[(i, True)] / side[(i, False)] for i in range(len(runs) // 2)]

rows = []
for name, key, label in (("files", "total", "files: 100,000 opens + 10x re-open, s"),
                         ("requests", "requestsPerSecond", "go-http /lazy under wrk, req/s")):
    a, u = median(results[name], True, key), median(results[name], False, key)
    ratios = pair_ratios(results[name], key)
    traced = [r["tracer"] for r in results[name] if r["armed"]]
    rows.append({"measurement": name, "pairs": pairs_of[name], "armed": a, "unarmed": u,
                 "ratio": round(statistics.median(ratios), 3), "pairRatios": [round(x, 3) for x in ratios],
                 "ratioOfMedians": round(a / u, 3),
                 "syscallsSeen": statistics.median(t["syscalls"] for t in traced),
                 "tracerCpuMillis": statistics.median(t["cpuMillis"] for t in traced),
                 "tracerDrainMillis": statistics.median(t["drainMillis"] for t in traced), "label": label})
print(f"{'measurement (medians)':<42}{'pairs':>6}{'armed':>10}{'unarmed':>10}{'ratio':>8}"
      f"{'syscalls':>10}{'tracer CPU s':>13}{'stop s':>8}")
for r in rows:
    print(f"{r['label']:<42}{r['pairs']:>6}{r['armed']:>10.2f}{r['unarmed']:>10.2f}{r['ratio']:>8.3f}"
          f"{r['syscallsSeen']:>10.0f}{r['tracerCpuMillis'] / 1000:>13.2f}{r['tracerDrainMillis'] / 1000:>8.2f}")
engine = docker("version", "--format", "{{.Server.Version}}")
json.dump({"engine": engine, "cpus": os.cpu_count(), "kernel": platform.release(), "pairs": pairs_of,
           "summary": rows, "runs": results}, open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
