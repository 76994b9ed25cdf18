#!/usr/bin/env bash
# Start-up benchmark (`scripts/bench.sh start [IMAGE] [PAIRS]`): what the class data archive
# (cli/target/minify.jsa, made at package time by ClassDataTraining) saves. In alternating
# pairs, the launcher with the archive and without it (moved aside for that run):
#   first line   seconds from exec to the first progress line of `minify build IMAGE`
#   build        the whole build's wall seconds
#   --version    the wall seconds of `minify --version` (the JVM and the command line only)
# Prints medians per side and their ratio, and writes bench/results/start-<UTC time>.json.
# Ratios within one run are what to compare; the machine's noise is in each pair.
# IMAGE defaults to minify-sample/python-flask:1.0 (scripts/build-samples.sh); PAIRS to 5.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
image=${1:-minify-sample/python-flask:1.0}
pairs=${2:-5}

scripts/engine.sh
[ -f cli/target/minify.jar ] && [ -f cli/target/minify.jsa ] || mvn -B -q -DskipTests -DskipITs install
if [ "$image" = minify-sample/python-flask:1.0 ]; then
  scripts/build-samples.sh python-flask
fi
docker image inspect "$image" >/dev/null 2>&1 || { echo "bench: no image $image in the engine" >&2; exit 2; }

mkdir -p bench/results
python3 - "$image" "$pairs" "bench/results/start-$(date -u +%Y%m%dT%H%M%SZ).json" <<'PY'
import json, os, statistics, subprocess, sys, time
image, pairs, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
jsa = "cli/target/minify.jsa"
tag = "minify-bench/start-slim:1"

def one(with_archive):
    if not with_archive:
        os.rename(jsa, jsa + ".aside")
    try:
        start = time.monotonic()
        p = subprocess.Popen(["./minify", "build", image, "--no-report", "--tag", tag],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        first = None
        for _ in p.stderr:
            if first is None:
                first = time.monotonic() - start
        code = p.wait()
        build = time.monotonic() - start
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True)
        if code != 0:
            sys.exit(f"bench: minify build {image} exited {code}")
        start = time.monotonic()
        subprocess.run(["./minify", "--version"], capture_output=True, check=True)
        return {"firstLine": first, "build": build, "version": time.monotonic() - start}
    finally:
        if not with_archive:
            os.rename(jsa + ".aside", jsa)

runs = {"archive": [], "none": []}
for _ in range(pairs):
    runs["archive"].append(one(True))
    runs["none"].append(one(False))
medians = {side: {k: round(statistics.median(r[k] for r in rs), 3) for k in ("firstLine", "build", "version")}
           for side, rs in runs.items()}
print(f"{'seconds (median of ' + str(pairs) + ')':<26}{'archive':>10}{'none':>10}{'ratio':>8}")
for k, label in (("firstLine", "first progress line"), ("build", "whole build"), ("version", "--version")):
    a, n = medians["archive"][k], medians["none"][k]
    print(f"{label:<26}{a:>10.2f}{n:>10.2f}{a / n:>8.2f}")
json.dump({"image": image, "pairs": pairs, "cpus": os.cpu_count(), "medians": medians, "runs": runs},
          open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
