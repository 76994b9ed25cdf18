#!/usr/bin/env bash
# Packaging benchmark (`scripts/bench.sh package [IMAGE...]`): minify's read-filter-write of an
# image against the engine's own `docker save` of it, in one run, in alternating pairs (the
# side that goes first alternates too; `sync` before each timed side, so neither pays for the
# other's dirty pages). Per image, the medians of PAIRS pairs (default 3):
#
#   save s    wall seconds of `docker save IMAGE > /dev/null` (the docker CLI process)
#   minify s  wall seconds of minify's read-filter-write, timed inside the JVM from the request
#             to the engine to the docker-archive written (the JVM's start and the engine
#             connection are the start benchmark's, not this one's):
#               read    the save stream into the work directory as a build reads it (ImageReader:
#                       each layer hashed and indexed while it flows), then the merged view;
#               filter  the keep set is EVERY entry of the image: the most a build can keep, so
#                       the most it writes (the sample apps' builds keep 2 to 40 % of the bytes);
#               write   the slim layer and the docker-archive as the package stage writes them
#                       (SlimImageFiles: --strip-elf and the trimmed package database on).
#             Not the load into the engine: `docker save`'s counterpart is the read alone, and
#             `docker load` is the engine's time, as `docker save` is.
#   ratio     minify s / save s; the target is <= 1.2
#
# minify's side runs io.minify.pipeline.PackagingBenchmark (minifier-core's test classes: not a
# command of minify) with the jar's classpath and the launcher's JVM options.
# Prints a table and writes bench/results/package-<UTC time>.json. Ratios within one run are
# what to compare: the machine's noise is in each pair.
# IMAGE defaults to minify-sample/node-express:1.0 (1 GB, 45,000 files in 7 layers) and
# minify-sample/java-http:1.0 (480 MB, 7,500 files, 5 layers); sample images are built when
# missing (scripts/build-samples.sh). The work directory goes under $TMPDIR (default /tmp),
# as a build's does.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(minify-sample/node-express:1.0 minify-sample/java-http:1.0)
pairs=${PAIRS:-3}

scripts/engine.sh
bench_class=minifier-core/target/test-classes/io/minify/pipeline/PackagingBenchmark.class
[ -f cli/target/minify.jar ] && [ -f "$bench_class" ] || mvn -B -q -DskipTests package
samples=()
for image in "${images[@]}"; do
  case "$image" in minify-sample/*:1.0) name=${image#minify-sample/}; samples+=("${name%:1.0}") ;; esac
done
[ ${#samples[@]} -eq 0 ] || scripts/build-samples.sh "${samples[@]}"
for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 || { echo "bench: no image $image in the engine" >&2; exit 2; }
done

# the launcher's JVM options (its bounds line), as a build runs with them
bounds=$(sed -n 's/^bounds="\(.*\)"$/\1/p' cli/target/minify)
work_root=${TMPDIR:-/tmp}
mkdir -p bench/results
python3 - "$pairs" "$work_root" "bench/results/package-$(date -u +%Y%m%dT%H%M%SZ).json" "$bounds" "${images[@]}" <<'PY'
import json, os, platform, statistics, subprocess, sys, time
pairs, work_root, dest, bounds, images = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
LIMIT = 1.2
classpath = "cli/target/minify.jar:minifier-core/target/test-classes"
env = dict(os.environ, MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "2"))

def save(image):
    subprocess.run(["sync"], check=True)
    start = time.monotonic()
    subprocess.run(["docker", "save", image], stdout=subprocess.DEVNULL, check=True)
    return {"seconds": round(time.monotonic() - start, 3)}

def minify(image):
    subprocess.run(["sync"], check=True)
    start = time.monotonic()
    out = subprocess.run(["java", *bounds.split(), "-cp", classpath, "io.minify.pipeline.PackagingBenchmark",
                          image, work_root], stdout=subprocess.PIPE, text=True, env=env, check=True).stdout
    run = json.loads(out)
    run["processSeconds"] = round(time.monotonic() - start, 3)
    return run

rows = []
for image in images:
    runs = {"save": [], "minify": []}
    for i in range(pairs):
        order = ("save", "minify") if i % 2 == 0 else ("minify", "save")
        for side in order:
            runs[side].append(save(image) if side == "save" else minify(image))
    first = runs["minify"][0]
    # the same image and keep set give the same bytes in every run
    ids = {r["slimImageId"] for r in runs["minify"]}
    if len(ids) != 1:
        sys.exit(f"bench: {image}: the runs wrote different images: {sorted(ids)}")
    median = lambda side, key: round(statistics.median(r[key] for r in runs[side]), 2)
    save_s, minify_s = median("save", "seconds"), median("minify", "seconds")
    ratio = round(minify_s / save_s, 2)
    rows.append({
        "image": image, "layerTarBytes": first["layerTarBytes"], "entries": first["entries"],
        "keptEntries": first["keptEntries"], "slimLayerBytes": first["slimLayerBytes"],
        "archiveBytes": first["archiveBytes"], "slimImageId": first["slimImageId"],
        "saveSeconds": save_s, "minifySeconds": minify_s,
        "minifyReadSeconds": median("minify", "readSeconds"), "minifyWriteSeconds": median("minify", "writeSeconds"),
        "ratio": ratio, "limit": LIMIT, "pass": ratio <= LIMIT, "runs": runs,
    })

print(f"{'image':<34}{'MiB':>7}{'entries':>9}{'save s':>8}{'minify s':>10}{'read s':>8}{'write s':>9}"
      f"{'ratio':>7}{'limit':>7}  result")
for r in rows:
    print(f"{r['image']:<34}{r['layerTarBytes'] / 1048576:>7.0f}{r['entries']:>9}{r['saveSeconds']:>8.2f}"
          f"{r['minifySeconds']:>10.2f}{r['minifyReadSeconds']:>8.2f}{r['minifyWriteSeconds']:>9.2f}"
          f"{r['ratio']:>7.2f}{r['limit']:>7.1f}  {'PASS' if r['pass'] else 'MISS'}")
engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
json.dump({"engine": engine, "cpus": os.cpu_count(), "kernel": platform.release(), "pairs": pairs,
           "keepSet": "every entry of the image", "jvmOptions": bounds, "results": rows}, open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
