#!/usr/bin/env bash
# Memory benchmark (`scripts/bench.sh memory [IMAGE...]`): peak RSS and wall time of the
# minify JVM on two synthetic images, with the heap bound of the launcher (`cli/target/minify`,
# plus MINIFY_JAVA_OPTS when set). Prints a table and writes bench/results/memory-<UTC time>.json.
#
#   many-files  minify-base:bookworm + 200,000 files of ~12 bytes in 200 directories; the
#               app cats 1,000 of them, then sleeps
#   big-files   minify-base:bookworm + 4 files of 1 GiB each (random bytes); the app reads 2
#
# The images are tagged minify-bench/<name>:1 and labelled io.minify.bench=memory; they are
# built FROM the local base (never pulled) when missing, which takes minutes (200,000 files
# are one large layer commit), and are kept for the next run. The slim images are removed.
# Memory is what is measured: wall times on a shared machine are only indicative.
# MINIFY=path runs another distribution launcher (default: ./minify of this checkout, which
# runs cli/target/minify).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(many-files big-files)

scripts/engine.sh
scripts/base-images.sh bookworm
[ -f cli/target/minify.jar ] || mvn -B -q -DskipTests -DskipITs install
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 3; }

dockerfile() {
  case "$1" in
    many-files) cat <<'EOF'
FROM minify-base:bookworm
RUN set -e; d=0; while [ $d -lt 200 ]; do dir=/data/d$d; mkdir -p $dir; f=0; \
      while [ $f -lt 1000 ]; do echo "file $d $f" > $dir/f$f.txt; f=$((f+1)); done; d=$((d+1)); done; \
    mkdir /app; i=0; while [ $i -lt 1000 ]; do echo /data/d$((i % 200))/f$((i / 200)).txt; i=$((i+1)); done > /app/open.txt
CMD ["/bin/sh", "-c", "xargs cat < /app/open.txt > /dev/null; exec sleep 3600"]
EOF
    ;;
    big-files) cat <<'EOF'
FROM minify-base:bookworm
RUN mkdir /blob && for i in 0 1 2 3; do head -c 1073741824 /dev/urandom > /blob/part$i.bin; done
CMD ["/bin/sh", "-c", "cat /blob/part0.bin /blob/part3.bin > /dev/null; exec sleep 3600"]
EOF
    ;;
    *) echo "bench: unknown memory image '$1' (known: many-files big-files)" >&2; exit 2 ;;
  esac
}

for name in "${images[@]}"; do
  dockerfile "$name" > /dev/null # refuses an unknown name before anything runs
  if ! docker image inspect "minify-bench/$name:1" >/dev/null 2>&1; then
    echo "bench: building minify-bench/$name:1 (minutes)" >&2
    ctx=$(mktemp -d)
    dockerfile "$name" > "$ctx/Dockerfile"
    docker build -q --label io.minify.bench=memory -t "minify-bench/$name:1" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
done

# The JVM options the launcher passes (its bounds line), then the user's own.
launcher=${MINIFY:-./minify}
launcher_script=${MINIFY:-cli/target/minify}
bounds=$(sed -n 's/^bounds="\(.*\)"$/\1/p' "$launcher_script")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for name in "${images[@]}"; do
  slim="minify-bench/$name.slim:1"
  /usr/bin/time -v -o "$out/$name.time" "$launcher" build "minify-bench/$name:1" --tag "$slim" \
    --http-probe-off --continue-after timeout:10 --json --no-report > "$out/$name.json"
  docker image rm -f "$slim" >/dev/null 2>&1 || true
done

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
python3 - "$out" "bench/results/memory-$stamp.json" "$bounds" "${MINIFY_JAVA_OPTS:-}" "${images[@]}" <<'PY'
import json, os, platform, re, subprocess, sys
out, dest, bounds, extra, images = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def timed(name, label):
    text = open(f"{out}/{name}.time").read()
    return re.search(re.escape(label) + r": (.*)", text).group(1).strip()
def seconds(clock):
    parts = [float(p) for p in clock.split(":")]
    return round(sum(p * 60 ** i for i, p in enumerate(reversed(parts))), 1)
rows = []
for name in images:
    r = json.load(open(f"{out}/{name}.json"))
    rows.append({
        "image": f"minify-bench/{name}:1",
        "originalBytes": r["original"]["bytes"],
        "originalFiles": r["original"]["files"],
        "slimBytes": r["slim"]["bytes"],
        "slimFiles": r["slim"]["files"],
        "peakRssBytes": int(timed(name, "Maximum resident set size (kbytes)")) * 1024,
        "wallSeconds": seconds(timed(name, "Elapsed (wall clock) time (h:mm:ss or m:ss)")),
        "stageSeconds": {s["stage"]: round(s["millis"] / 1000, 1) for s in r["stages"]},
    })
def mib(b): return f"{b / 1048576:.0f}"
print(f"JVM options: {bounds} {extra}".rstrip())
print(f"{'image':<30}{'orig MiB':>10}{'files':>9}{'slim files':>12}{'peak RSS MiB':>14}{'wall s':>8}")
for r in rows:
    print(f"{r['image']:<30}{mib(r['originalBytes']):>10}{r['originalFiles']:>9}{r['slimFiles']:>12}"
          f"{mib(r['peakRssBytes']):>14}{r['wallSeconds']:>8}")
engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
json.dump({"engine": engine, "cpus": os.cpu_count(), "kernel": platform.release(), "launcherJvmOptions": bounds,
           "extraJvmOptions": extra, "results": rows}, open(dest, "w"), indent=2)
print(f"\nwritten to {dest}")
PY
