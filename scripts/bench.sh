#!/usr/bin/env bash
# Benchmark: minify every sample app (or those named) and print, per app, original and slim
# bytes, the ratio, total wall time and the time of each stage. Writes the same table as
# JSON to bench/results/<UTC time>.json. Ratios within one run are what to compare: these
# machines are noisy, lone absolute times are not.
#
# scripts/bench.sh memory [many-files|big-files]: peak RSS and wall time on two synthetic
# images of 200,000 files and of 4 GiB instead (see scripts/bench-memory.sh).
# scripts/bench.sh targets [PAIRS]: every performance target with its value, limit and
# PASS/MISS (see scripts/bench-targets.sh).
# scripts/bench.sh start [IMAGE] [PAIRS]: what the class data archive saves at start
# (see scripts/bench-start.sh).
# scripts/bench.sh monitor-cost [PAIRS]: what the fanotify monitor costs the app it watches,
# armed vs not (see scripts/bench-monitor.sh).
# scripts/bench.sh seccomp-cost [PAIRS]: what recording the app's syscalls (--seccomp-profile)
# costs the app, tracer armed vs not (see scripts/bench-seccomp.sh).
# scripts/bench.sh package [IMAGE...]: minify's read-filter-write of an image against
# `docker save` of it (see scripts/bench-package.sh).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
if [ "${1:-}" = memory ]; then
  shift
  exec scripts/bench-memory.sh "$@"
fi
if [ "${1:-}" = targets ]; then
  shift
  exec scripts/bench-targets.sh "$@"
fi
if [ "${1:-}" = start ]; then
  shift
  exec scripts/bench-start.sh "$@"
fi
if [ "${1:-}" = monitor-cost ]; then
  shift
  exec scripts/bench-monitor.sh "$@"
fi
if [ "${1:-}" = seccomp-cost ]; then
  shift
  exec scripts/bench-seccomp.sh "$@"
fi
if [ "${1:-}" = package ]; then
  shift
  exec scripts/bench-package.sh "$@"
fi
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(python-flask node-express java-http go-http static-scratch whiteout)

scripts/prereqs.sh
[ -f cli/target/minify.jar ] || mvn -B -q -DskipTests -DskipITs install
scripts/build-samples.sh "${apps[@]}"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for app in "${apps[@]}"; do
  probes=()
  while read -r method path _; do
    case "$method" in ""|\#*) continue ;; esac
    probes+=(--http-probe-cmd "$method:$path")
  done < "sample-apps/$app/routes.txt"
  start=$(date +%s.%N)
  ./minify build "minify-sample/$app:1.0" --json --no-report "${probes[@]}" > "$out/$app.json"
  end=$(date +%s.%N)
  echo "$start $end" > "$out/$app.wall"
  docker image rm -f "minify-sample/$app.slim:1.0" >/dev/null 2>&1 || true
done

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
python3 - "$out" "bench/results/$stamp.json" "${apps[@]}" <<'PY'
import json, sys, platform, subprocess
out, dest, apps = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = []
for app in apps:
    r = json.load(open(f"{out}/{app}.json"))
    start, end = map(float, open(f"{out}/{app}.wall").read().split())
    rows.append({
        "app": app,
        "originalBytes": r["original"]["bytes"],
        "slimBytes": r["slim"]["bytes"],
        "ratio": round(r["original"]["bytes"] / r["slim"]["bytes"], 1),
        "originalFiles": r["original"]["files"],
        "slimFiles": r["slim"]["files"],
        "probes": len(r["probes"]),
        "probesMatching": sum(1 for p in r["probes"] if p["matches"]),
        "wallSeconds": round(end - start, 1),
        "stageSeconds": {s["stage"]: round(s["millis"] / 1000, 2) for s in r["stages"]},
    })
stages = list(rows[0]["stageSeconds"].keys()) if rows else []
def mib(b): return f"{b / 1048576:.1f}"
head = f"{'app':<16}{'orig MiB':>10}{'slim MiB':>10}{'ratio':>8}{'probes':>8}{'wall s':>8}" + "".join(f"{s[:8]:>9}" for s in stages)
print(head)
for r in rows:
    print(f"{r['app']:<16}{mib(r['originalBytes']):>10}{mib(r['slimBytes']):>10}{r['ratio']:>7}x"
          f"{str(r['probesMatching']) + '/' + str(r['probes']):>8}{r['wallSeconds']:>8}"
          + "".join(f"{r['stageSeconds'].get(s, 0):>9}" for s in stages))
engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
json.dump({"engine": engine, "cpus": __import__("os").cpu_count(), "kernel": platform.release(), "results": rows},
          open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
