#!/usr/bin/env bash
# Monitor cost benchmark (`scripts/bench.sh monitor-cost [PAIRS]`): what the fanotify monitor
# costs the app it watches. Each measurement runs in alternating pairs, the monitor armed and
# not (the order flips every pair), PAIRS pairs of the first, four times as many of the second:
#
#   files     a static C workload in an image built FROM minify-base:bookworm with 100,000
#             distinct small files (100 directories of 1,000) opens and reads each once, then
#             all of them 10 more times, and reports its own elapsed time (measured inside,
#             so the engine's exec is not in it). Limit: armed / unarmed <= 1.2.
#   requests  requests per second of minify-sample/go-http:1.0 on /lazy (which opens its
#             template on every request) under wrk for 2 s. Limit: armed / unarmed >= 0.95.
#
# The ratio is the median of the pairs' own ratios (a pair runs back to back, so the load of
# other work on the machine mostly cancels out); the medians of each side are printed too.
# Armed is the real FanotifyMonitor watching /proc/<pid>/root of the container, in a JVM of
# its own with the launcher's bounds, as in `minify build` (MonitorBenchMain in probe-agent's
# test classes, compiled here with Maven), which arms and stops it for each armed run and
# lives through all the runs on a container, as minify's JVM lives through a build. An armed
# run fails when the monitor lost an event or missed one of the 100,000 files. Prints a
# table, with the monitor's events, CPU seconds (its JVM's, from arm to the end of stop) and
# the seconds its stop took to drain, and writes bench/results/monitor-<UTC time>.json with every run. The workload image
# is tagged minify-bench/monitor-files:1 and kept for the next run (rebuilt when the
# workload's source changes); the containers (minify-bench-monitor-*) are removed. PAIRS
# defaults to 3 (about 2 minutes); more pairs steady the ratios on a busy machine.
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
trap 'docker rm -f minify-bench-monitor-files minify-bench-monitor-http >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# Compiled every time (quick when nothing changed): the monitor measured is this checkout's.
if ! mvn -B -q -o -Dstyle.color=never -pl probe-agent -am test-compile > "$work/mvn.log" 2>&1; then
  cat "$work/mvn.log" >&2
  exit 3
fi
jna=$(sed -n 's:.*<jna.version>\(.*\)</jna.version>.*:\1:p' pom.xml)
classpath="probe-agent/target/classes:probe-agent/target/test-classes:base/target/classes"
classpath="$classpath:$HOME/.m2/repository/net/java/dev/jna/jna/$jna/jna-$jna.jar"
bounds=$(sed -n 's/^bounds="\(.*\)"$/\1/p' cli/src/main/dist/minify)

image=$(scripts/bench-files-image.sh)

docker rm -f minify-bench-monitor-files minify-bench-monitor-http >/dev/null 2>&1 || true
docker run -d --name minify-bench-monitor-files --label io.minify.bench=monitor "$image" >/dev/null
docker run -d --name minify-bench-monitor-http --label io.minify.bench=monitor \
  -p 127.0.0.1::8080 minify-sample/go-http:1.0 >/dev/null

mkdir -p bench/results
python3 - "$pairs" "bench/results/monitor-$(date -u +%Y%m%dT%H%M%SZ).json" "$classpath" "$bounds" <<'PY'
import json, os, platform, re, statistics, subprocess, sys, time, urllib.request
pairs, dest, classpath, bounds = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].split()
FILES = 100_000

def pid(container):
    return subprocess.run(["docker", "inspect", "-f", "{{.State.Pid}}", container],
                          capture_output=True, text=True, check=True).stdout.strip()

class Monitor:
    """MonitorBenchMain: one JVM for all the runs on a container, armed and stopped on request."""

    def __init__(self, container):
        self.jvm = subprocess.Popen(["java", *bounds, "-cp", classpath, "io.minify.sensor.fanotify.MonitorBenchMain",
                                     pid(container)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, command):
        self.jvm.stdin.write(command + "\n")
        self.jvm.stdin.flush()
        line = self.jvm.stdout.readline().strip()
        if not line:
            sys.exit(f"bench: the monitor failed on {command} (see its error above)")
        return line

    def arm(self):
        if self.ask("arm") != "armed":
            sys.exit("bench: the monitor did not arm")

    def stop(self):
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", self.ask("stop"))}

    def close(self):
        self.jvm.stdin.close()
        self.jvm.wait()

def files_run():
    out = subprocess.run(["docker", "exec", "minify-bench-monitor-files", "monitor-workload", "run", "/data", "10"],
                         capture_output=True, text=True, check=True).stdout
    r = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", out)}
    r["total"] = round(r["first"] + r["again"], 4)
    return r

port = subprocess.run(["docker", "port", "minify-bench-monitor-http", "8080/tcp"],
                      capture_output=True, text=True, check=True).stdout.split("\n")[0].rsplit(":", 1)[1]
url = f"http://127.0.0.1:{port}/lazy"
for _ in range(100):
    try:
        urllib.request.urlopen(url, timeout=1).read()
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(f"bench: go-http does not answer on {url}")

def http_run():
    out = subprocess.run(["wrk", "-t1", "-c8", "-d2s", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    if errors:
        sys.exit(f"bench: wrk saw errors: {errors.group(0)}")
    return {"requestsPerSecond": float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))}

def measure(container, pairs, run, check):
    runs = []
    monitor = Monitor(container)
    # Warm-up, not counted: caches filled, the app's first requests served, the JVM started
    # and the monitor's classes loaded (a build arms it in a JVM that has long been running).
    run()
    monitor.arm()
    monitor.stop()
    for i in range(pairs):
        for armed in ((True, False) if i % 2 == 0 else (False, True)):
            if armed:
                monitor.arm()
            r = run()
            if armed:
                r["monitor"] = monitor.stop()
                check(r["monitor"])
            runs.append({"pair": i, "armed": armed, **r})
    monitor.close()
    return runs

def all_files_seen(m):
    if m["files"] < FILES:
        sys.exit(f"bench: the monitor recorded {m['files']} files, fewer than the {FILES} opened")

# A wrk run is short and its rate swings with the machine's load far more than the files
# workload's time does (pairs ranged from 0.73x to 1.49x here with the monitor idle), so it
# gets four times the pairs.
pairs_of = {"files": pairs, "requests": 4 * pairs}
results = {"files": measure("minify-bench-monitor-files", pairs_of["files"], files_run, all_files_seen),
           "requests": measure("minify-bench-monitor-http", pairs_of["requests"], http_run, lambda m: None)}

def median(runs, armed, key):
    return statistics.median(r[key] for r in runs if r["armed"] == armed)

def pair_ratios(runs, key):
    side = {(r["pair"], r["armed"]): r[key] for r in runs}
    return [side[(i, True)] / side[(i, False)] for i in range(len(runs) // 2)]

rows = []
for name, key, label, limit, better in (
        ("files", "total", "files: 100,000 opens + 10x re-open, s", 1.2, "lower"),
        ("requests", "requestsPerSecond", "go-http /lazy under wrk, req/s", 0.95, "higher")):
    a, u = median(results[name], True, key), median(results[name], False, key)
    # The median of the pairs' own ratios: each pair ran back to back, so a change in the
    # machine's load between pairs (other builds share its cores) cancels out.
    ratios = pair_ratios(results[name], key)
    ratio = statistics.median(ratios)
    ok = ratio <= limit if better == "lower" else ratio >= limit
    monitor = [r["monitor"] for r in results[name] if r["armed"]]
    rows.append({"measurement": name, "pairs": pairs_of[name], "armed": a, "unarmed": u, "ratio": round(ratio, 3),
                 "pairRatios": [round(x, 3) for x in ratios], "ratioOfMedians": round(a / u, 3),
                 "limit": ("<= " if better == "lower" else ">= ") + str(limit), "pass": ok,
                 "monitorEvents": statistics.median(m["events"] for m in monitor),
                 "monitorCpuMillis": statistics.median(m["cpuMillis"] for m in monitor),
                 "monitorDrainMillis": statistics.median(m["drainMillis"] for m in monitor), "label": label})
print(f"{'measurement (medians)':<42}{'pairs':>6}{'armed':>10}{'unarmed':>10}{'ratio':>8}{'limit':>9}"
      f"{'':>6}{'events':>9}{'mon. CPU s':>11}{'drain s':>9}")
for r in rows:
    print(f"{r['label']:<42}{r['pairs']:>6}{r['armed']:>10.2f}{r['unarmed']:>10.2f}{r['ratio']:>8.3f}{r['limit']:>9}"
          f"{'PASS' if r['pass'] else 'MISS':>6}{r['monitorEvents']:>9.0f}{r['monitorCpuMillis'] / 1000:>11.2f}"
          f"{r['monitorDrainMillis'] / 1000:>9.2f}")
engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
json.dump({"engine": engine, "cpus": os.cpu_count(), "kernel": platform.release(), "pairs": pairs_of,
           "summary": rows, "runs": results}, open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
