#!/usr/bin/env bash
# Packaging benchmark (`scripts/bench.sh package [IMAGE...]`): minify's read-filter-write of an
# image against the engine's own `docker save` of it, in one run, in alternating pairs (the
# order of the sides turns each pair; `sync` before each timed side, so none pays for another's
# dirty pages). Per image, the medians of PAIRS pairs (default 5):
#
#   save s    wall seconds of `docker save IMAGE > /dev/null` (the docker CLI process)
#   minify s  wall seconds of minify's read-filter-write, timed inside the JVM from the request
#             to the engine to the docker-archive written (the JVM's start and the engine
#             connection are the start benchmark's, not this one's):
#               read    the save stream into the work directory as a build reads it (ImageReader:
#                       each layer hashed and indexed while it flows), then the merged view;
#               filter  keep "build": the keep set of a real build of the image, made once
#                       before the pairs (`minify build`, its report's kept[]; the archive's
#                       image id must then be that build's slim image id: the same bytes);
#                       keep "all": every entry of the image, the most any build can keep;
#               write   the slim layer and the docker-archive as the package stage writes them
#                       (SlimImageFiles: --strip-elf and the trimmed package database on).
#             Not the load into the engine: `docker save`'s counterpart is the read alone, and
#             `docker load`, like `docker save`, is the engine's time.
#   cpu s     CPU seconds of minify's JVM (user + system: its start and its JIT compiler threads
#             included); the JSON also has the engine's (dockerd's) CPU seconds for each side
#   ratio     minify s / save s; the target is <= 1.2
#
# minify's side runs io.minify.pipeline.PackagingBenchmark (minifier-core's test classes: not a
# command of minify) with the jar's classpath and the launcher's JVM options.
# Prints a table and writes bench/results/package-<UTC time>.json. Ratios within one run are
# what to compare: the machine's noise is in each pair.
# IMAGE defaults to minify-sample/node-express:1.0 (1 GB, 55,000 entries in 7 layers) and
# minify-sample/java-http:1.0 (480 MB, 10,000 entries, 5 layers); sample images are built when
# missing (scripts/build-samples.sh) and their builds probe sample-apps/NAME/routes.txt, as
# scripts/bench.sh does; other images get minify's default probes. The work directory goes
# under $TMPDIR (default /tmp), as a build's does. The builds' slim images are tagged
# minify-bench/pack-slim:1 and removed.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(minify-sample/node-express:1.0 minify-sample/java-http:1.0)
pairs=${PAIRS:-5}

scripts/engine.sh
bench_class=minifier-core/target/test-classes/io/minify/pipeline/PackagingBenchmark.class
[ -f cli/target/minify.jar ] && [ -f "$bench_class" ] || mvn -B -q -DskipTests package
samples=()
for image in "${images[@]}"; do
  # only when missing: a rebuild from another checkout would put another image under the tag
  docker image inspect "$image" >/dev/null 2>&1 && continue
  case "$image" in minify-sample/*:1.0) name=${image#minify-sample/}; samples+=("${name%:1.0}") ;; esac
done
[ ${#samples[@]} -eq 0 ] || scripts/build-samples.sh "${samples[@]}"
for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 || { echo "bench: no image $image in the engine" >&2; exit 2; }
done

# one real build of each image: its report's keep set is the "build" keep set
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
for image in "${images[@]}"; do
  probes=()
  case "$image" in
    minify-sample/*:1.0)
      name=${image#minify-sample/}
      while read -r method path _; do
        case "$method" in ""|\#*) continue ;; esac
        probes+=(--http-probe-cmd "$method:$path")
      done < "sample-apps/${name%:1.0}/routes.txt" ;;
  esac
  echo "bench: building $image once for its keep set" >&2
  ./minify build "$image" --quiet --tag minify-bench/pack-slim:1 --report "$reports/$(echo "$image" | tr /: __).json" \
    ${probes[@]+"${probes[@]}"} >/dev/null
  docker image rm -f minify-bench/pack-slim:1 >/dev/null 2>&1 || true
done

# the launcher's JVM options (its bounds line), as a build runs with them
bounds=$(sed -n 's/^bounds="\(.*\)"$/\1/p' cli/target/minify)
work_root=${TMPDIR:-/tmp}
mkdir -p bench/results
python3 - "$pairs" "$work_root" "bench/results/package-$(date -u +%Y%m%dT%H%M%SZ).json" "$bounds" "$reports" \
  "${images[@]}" <<'PY'
import json, os, platform, resource, statistics, subprocess, sys, time
pairs, work_root, dest, bounds, reports, images = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
LIMIT = 1.2
classpath = "cli/target/minify.jar:minifier-core/target/test-classes"
env = dict(os.environ, MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "2"))

def engine_cpu():
    """dockerd's CPU seconds so far, when this is the engine's host (else None)."""
    try:
        pid = open("/var/run/docker.pid").read().strip()
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None

def engine_cpu_since(before):
    after = engine_cpu()
    return None if before is None or after is None else round(after - before, 2)

def save(image):
    subprocess.run(["sync"], check=True)
    engine = engine_cpu()
    start = time.monotonic()
    subprocess.run(["docker", "save", image], stdout=subprocess.DEVNULL, check=True)
    return {"seconds": round(time.monotonic() - start, 3), "engineCpuSeconds": engine_cpu_since(engine)}

def minify(image, keep):
    subprocess.run(["sync"], check=True)
    report = [os.path.join(reports, image.replace("/", "_").replace(":", "_") + ".json")] if keep == "build" else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    engine = engine_cpu()
    start = time.monotonic()
    out = subprocess.run(["java", *bounds.split(), "-cp", classpath, "io.minify.pipeline.PackagingBenchmark",
                          image, work_root, *report], stdout=subprocess.PIPE, text=True, env=env, check=True).stdout
    run = json.loads(out)
    run["processSeconds"] = round(time.monotonic() - start, 3)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the whole JVM's, its start and JIT compiler threads included
    run["processCpuSeconds"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
    run["engineCpuSeconds"] = engine_cpu_since(engine)
    return run

SIDES = ("save", "build", "all")
rows = []
for image in images:
    runs = {side: [] for side in SIDES}
    for i in range(pairs):
        for side in SIDES[i % 3:] + SIDES[:i % 3]:
            runs[side].append(save(image) if side == "save" else minify(image, side))
    median = lambda side, key: round(statistics.median(r[key] for r in runs[side]), 2)
    save_s = median("save", "seconds")
    for keep in ("build", "all"):
        first = runs[keep][0]
        # the same image and keep set give the same bytes in every run, and the build's keep set the build's image
        ids = {r["slimImageId"] for r in runs[keep]}
        if len(ids) != 1:
            sys.exit(f"bench: {image} ({keep}): the runs wrote different images: {sorted(ids)}")
        if keep == "build" and first["slimImageId"] != first.get("buildSlimImageId"):
            sys.exit(f"bench: {image}: the build's keep set gave {first['slimImageId']}, the build made"
                     f" {first.get('buildSlimImageId')}")
        minify_s = median(keep, "seconds")
        ratio = round(minify_s / save_s, 2)
        rows.append({
            "image": image, "keepSet": keep, "layerTarBytes": first["layerTarBytes"], "entries": first["entries"],
            "keptEntries": first["keptEntries"], "slimLayerBytes": first["slimLayerBytes"],
            "archiveBytes": first["archiveBytes"], "slimImageId": first["slimImageId"],
            "saveSeconds": save_s, "minifySeconds": minify_s,
            "minifyReadSeconds": median(keep, "readSeconds"), "minifyWriteSeconds": median(keep, "writeSeconds"),
            "minifyProcessCpuSeconds": median(keep, "processCpuSeconds"),
            "pairRatios": [round(m["seconds"] / s["seconds"], 2) for m, s in zip(runs[keep], runs["save"])],
            "ratio": ratio, "limit": LIMIT, "pass": ratio <= LIMIT, "saveRuns": runs["save"], "minifyRuns": runs[keep],
        })

print(f"{'image':<32}{'keep':>6}{'MiB':>6}{'entries':>14}{'slim MiB':>9}{'save s':>8}{'minify s':>9}{'read s':>8}"
      f"{'write s':>8}{'cpu s':>7}{'ratio':>7}{'limit':>6}  result")
for r in rows:
    print(f"{r['image']:<32}{r['keepSet']:>6}{r['layerTarBytes'] / 1048576:>6.0f}"
          f"{str(r['keptEntries']) + '/' + str(r['entries']):>14}{r['slimLayerBytes'] / 1048576:>9.0f}"
          f"{r['saveSeconds']:>8.2f}{r['minifySeconds']:>9.2f}{r['minifyReadSeconds']:>8.2f}{r['minifyWriteSeconds']:>8.2f}{r['minifyProcessCpuSeconds']:>7.2f}"
          f"{r['ratio']:>7.2f}{r['limit']:>6.1f}  {'PASS' if r['pass'] else 'MISS'}")
engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
json.dump({"engine": engine, "cpus": os.cpu_count(), "kernel": platform.release(), "pairs": pairs,
           "jvmOptions": bounds, "results": rows}, open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
