#!/usr/bin/env bash
# The corpus of real third-party apps (sample-apps/real/<app>): builds what is missing,
# checks each original image, minifies it with the mode's flags, checks the slim image,
# prints a table and writes bench/results/corpus-<mode>-<UTC time>.json.
#
# Usage: scripts/corpus.sh [default|hinted|suite|build] [APP...]   (default mode: default; all apps)
#   default  the flags a new user gives: <app>/default.flags
#   hinted   the probes a user writes per documented route: <app>/hinted.flags
#   suite    the user's own test suite as the only probe: --http-probe-off and
#            --host-exec '<app>/check.sh $MINIFY_TARGET_PORT_<port>...', the app's functional
#            check itself, run on the host against the watched app and again against the slim
#            one in verification (plus <app>/suite.flags when an app needs more)
#   build    only build the images (what the test suite's corpus ITs need), nothing else
#
# Per app: base image minify-real-base/<app>:1 (scripts/base-images.sh, from app.env's
# BASE_PACKAGES), host-side prepare.sh if any, image minify-real/<app>:1 from its
# Dockerfile; then a fresh original container + check.sh, `minify build --tag
# minify-real/<app>.slim-<mode>:1`, a fresh slim container + check.sh. One app failing
# does not stop the others. Logs (minify output, reports, check output, container logs of
# failed checks) go to bench/results/logs/corpus-<mode>-<time>/<app>/.
#
# Any engine: everything runs against the engine DOCKER_HOST names (default: the local
# socket, scripts/engine.sh), e.g. DOCKER_HOST=$(scripts/engine-next.sh) for the newer engine
# with the containerd image store. On an engine other than the first, each app's base image
# is built on the first engine (when missing there) and copied onto the target when the
# target lacks it (scripts/image-copy.sh; scripts/engine-next.sh load for that engine);
# without a first engine it is built on the target itself. The app's image is then built
# on the target.
#
# Environment: CORPUS_EXTRA_FLAGS="--no-keep-app-content ..." are added to every build (the
# results file is then corpus-<mode>-<label>-<time>.json with CORPUS_LABEL as label);
# MINIFY=path of the minify launcher (default: ./minify of this checkout,
# built with Maven when its jar is missing); CORPUS_CHECK_TIMEOUT=seconds per check.sh
# run (default 300); CORPUS_KEEP_UNVERIFIED=1 keeps the slim image of a build that failed
# verification as minify-real/<app>.unverified-<mode>:1, for diagnosis (a stopped holder
# container keeps minify from removing it; minify then warns that its cleanup failed).
set -euo pipefail
# The whole script is one compound command, parsed before it runs: editing this file while
# a corpus run is under way cannot change what that run executes.
{

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
REAL="$ROOT/sample-apps/real"
CHECK_TIMEOUT=${CORPUS_CHECK_TIMEOUT:-300}

say() { echo "corpus: $*" >&2; }
die() { echo "corpus: ERROR: $*" >&2; exit 2; }

mode=default
case "${1:-}" in
  default|hinted|suite|build) mode=$1; shift ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
esac
mapfile -t ALL < <(for d in "$REAL"/*/; do [ -f "$d/app.env" ] && basename "$d"; done)
apps=()
for a in "$@"; do
  [ -f "$REAL/$a/app.env" ] || die "unknown app '$a' (known: ${ALL[*]})"
  apps+=("$a")
done
[ ${#apps[@]} -gt 0 ] || apps=("${ALL[@]}")

# --- containers and temp files to remove on every exit path -----------------------------
CIDS=()
TMP=$(mktemp -d)
holder_pid=""
cleanup() {
  local c
  [ -z "$holder_pid" ] || kill "$holder_pid" 2>/dev/null || true
  for c in "${CIDS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  CIDS=()
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM

# --- host prerequisites --------------------------------------------------------------------
# The target engine is DOCKER_HOST's. Another than the first (scripts/engine.sh) gets its
# base images from the first one when that one answers.
FIRST_ENGINE=unix:///var/run/docker.sock
TARGET_ENGINE=${DOCKER_HOST:-}
NEXT_ENGINE=$("$HERE/engine-next.sh" host)
other_engine=0 first_up=0
case "$TARGET_ENGINE" in
  ""|"$FIRST_ENGINE"|unix:///run/docker.sock) "$HERE/engine.sh" ;;
  *)
    other_engine=1
    if [ "$TARGET_ENGINE" = "$NEXT_ENGINE" ]; then
      "$HERE/engine-next.sh" >/dev/null || die "the engine at $TARGET_ENGINE could not be started"
    fi
    timeout 10 docker info >/dev/null 2>&1 || die "no engine answers at DOCKER_HOST=$TARGET_ENGINE"
    if DOCKER_HOST=$FIRST_ENGINE timeout 10 docker info >/dev/null 2>&1; then
      first_up=1
    else
      say "no first engine at $FIRST_ENGINE: base images are built on $TARGET_ENGINE itself"
    fi
    ;;
esac
# copy_to_target IMAGE...: from the first engine, unless the target has them already
copy_to_target() {
  if [ "$TARGET_ENGINE" = "$NEXT_ENGINE" ]; then
    "$HERE/engine-next.sh" load "$@"
  else
    "$HERE/image-copy.sh" --from "$FIRST_ENGINE" --to "$TARGET_ENGINE" "$@"
  fi
}
apt_updated=0
need_pkg() {   # need_pkg COMMAND PACKAGE: apt-get install PACKAGE when COMMAND is missing
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || die "host tool $1 missing (apt-get install $2)"
  if [ "$apt_updated" -eq 0 ]; then apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed"; apt_updated=1; fi
  say "installing host tool $1 ($2)"
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l apt-get install -y -qq --no-install-recommends "$2" \
    >"$TMP/apt.log" 2>&1 || { tail -n 20 "$TMP/apt.log" >&2; die "apt-get install $2 failed"; }
}
need_pkg curl curl
need_pkg jq jq
need_pkg python3 python3
need_pkg gzip gzip
for a in "${apps[@]}"; do
  HOST_TOOLS=""
  # shellcheck disable=SC1090
  . "$REAL/$a/app.env"
  for tp in $HOST_TOOLS; do need_pkg "${tp%%:*}" "${tp#*:}"; done
done

MINIFY_BIN=""
if [ "$mode" = build ]; then
  :   # images only: no minify needed
elif [ -n "${MINIFY:-}" ]; then
  MINIFY_BIN=$(readlink -f "$MINIFY")
else
  MINIFY_BIN="$ROOT/minify"
  if [ ! -f "$ROOT/cli/target/minify.jar" ]; then
    "$HERE/prereqs.sh"
    say "building minify (mvn install)"
    (cd "$ROOT" && mvn -B -q -DskipTests -DskipITs install) >&2 || die "maven build failed"
  fi
fi
[ "$mode" = build ] || [ -x "$MINIFY_BIN" ] || die "minify launcher $MINIFY_BIN is not executable"
minify_version=""
[ "$mode" = build ] || minify_version=$("$MINIFY_BIN" --version 2>/dev/null | head -n1 || true)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
[ -z "${CORPUS_LABEL:-}" ] || stamp="$CORPUS_LABEL-$stamp"
read -r -a EXTRA_FLAGS <<<"${CORPUS_EXTRA_FLAGS:-}"
RESULTS="$ROOT/bench/results"
LOGS="$RESULTS/logs/corpus-$mode-$stamp"
[ "$mode" = build ] || mkdir -p "$LOGS"

# --- building ------------------------------------------------------------------------------
load_env() {   # sets DESCRIPTION BASE_PACKAGES BASE_RECOMMENDS PORTS KIND HOST_TOOLS
  DESCRIPTION="" BASE_PACKAGES="" BASE_RECOMMENDS="" PORTS="" KIND=http HOST_TOOLS=""
  # shellcheck disable=SC1090
  . "$REAL/$1/app.env"
  [ -n "$BASE_PACKAGES" ] && [ -n "$PORTS" ] || { say "$1: app.env needs BASE_PACKAGES and PORTS"; return 1; }
}

build_app() {   # build_app APP LOG: base, prepare.sh, image (each quick when up to date)
  local app=$1 log=$2 dir="$REAL/$1"
  load_env "$app" || return 1
  if [ "$other_engine" = 1 ] && [ "$first_up" = 1 ]; then
    DOCKER_HOST=$FIRST_ENGINE "$HERE/base-images.sh" --tag "minify-real-base/$app:1" --packages "$BASE_PACKAGES" \
        ${BASE_RECOMMENDS:+--recommends} >>"$log" 2>&1 || { say "$app: base image failed (log: $log)"; return 1; }
    copy_to_target "minify-real-base/$app:1" >>"$log" 2>&1 \
      || { say "$app: copying the base image onto $TARGET_ENGINE failed (log: $log)"; return 1; }
  else
    "$HERE/base-images.sh" --tag "minify-real-base/$app:1" --packages "$BASE_PACKAGES" \
        ${BASE_RECOMMENDS:+--recommends} >>"$log" 2>&1 || { say "$app: base image failed (log: $log)"; return 1; }
  fi
  if [ -x "$dir/prepare.sh" ]; then
    "$dir/prepare.sh" >>"$log" 2>&1 || { say "$app: prepare.sh failed (log: $log)"; return 1; }
  fi
  # Classic builder (no network inside builds; BuildKit is not always installed).
  DOCKER_BUILDKIT=0 docker build --force-rm -t "minify-real/$app:1" "$dir" >>"$log" 2>&1 \
    || { say "$app: docker build failed (log: $log)"; return 1; }
}

if [ "$mode" = build ]; then
  for app in "${apps[@]}"; do
    log="$TMP/$app-build.log"
    say "$app: building"
    build_app "$app" "$log" || { tail -n 30 "$log" >&2; die "$app: the corpus image could not be built"; }
  done
  exit 0
fi

# --- checking ------------------------------------------------------------------------------
# run_check APP IMAGE OUT: fresh container, check.sh on its published ports, container
# removed. Sets CHECK_P and CHECK_T (0 0 when the check did not get to run).
run_check() {
  local app=$1 image=$2 out=$3 cid p hp args=() hostports=()
  load_env "$app"
  for p in $PORTS; do args+=(-p "127.0.0.1::$p"); done
  if ! cid=$(docker run -d --pull never "${args[@]}" "$image" 2>"$out.err"); then
    cat "$out.err" >"$out"; CHECK_P=0 CHECK_T=0; return
  fi
  CIDS+=("$cid")
  for p in $PORTS; do
    hp=$(docker port "$cid" "$p/tcp" 2>/dev/null | grep -m1 '^127\.0\.0\.1:' | sed 's/.*://')
    hostports+=("${hp:-0}")
  done
  timeout "$CHECK_TIMEOUT" "$REAL/$app/check.sh" "${hostports[@]}" >"$out" 2>&1 || true
  local passed total
  read -r passed total < <(sed -n 's|^# passed \([0-9]*\)/\([0-9]*\)$|\1 \2|p' "$out" | tail -n1) || true
  passed=${passed:-0} total=${total:-0}
  if [ "$passed" != "$total" ] || [ "$total" = 0 ]; then
    docker logs --tail 200 "$cid" >"$out.container.log" 2>&1 || true
  fi
  docker rm -f "$cid" >/dev/null 2>&1 || true
  CIDS=("${CIDS[@]/$cid/}")
  rm -f "$out.err"
  CHECK_P=$passed CHECK_T=$total
}

read_flags() {   # one argument per line; blank lines and lines starting with # skipped
  local f=$1 line
  [ -f "$f" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ""|\#*) continue ;; esac
    printf '%s\n' "$line"
  done <"$f"
}

# hold_unverified IMAGE OUTFILE: background poller while minify builds IMAGE: every new
# untagged slim image of it gets a stopped holder container (id written to OUTFILE).
hold_unverified() {
  local src=$1 out=$2 id seen=" " filter
  # only slim images of this original (minify labels them with its id), and none that
  # was already there before this build
  filter="label=io.minify.source-image=$(docker image inspect -f '{{.Id}}' "$src")"
  for id in $(docker images -q --no-trunc --filter dangling=true --filter "$filter" 2>/dev/null); do
    seen="$seen$id "
  done
  while :; do
    for id in $(docker images -q --no-trunc --filter dangling=true --filter "$filter" 2>/dev/null); do
      case "$seen" in *" $id "*) continue ;; esac
      seen="$seen$id "
      docker create --label io.minify.corpus.holder=1 "$id" /holder >>"$out" 2>/dev/null || true
    done
    sleep 0.3
  done
}
release_holders() {   # release_holders OUTFILE TAG: tag the held image (if still untagged), remove holders
  local out=$1 tag=$2 c img
  [ -s "$out" ] || return 0
  while read -r c; do
    img=$(docker inspect -f '{{.Image}}' "$c" 2>/dev/null) || continue
    if [ -n "$tag" ] && [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$img" 2>/dev/null)" ]; then
      docker tag "$img" "$tag" && say "kept the unverified slim image as $tag"
    fi
    docker rm -f "$c" >/dev/null 2>&1 || true
  done <"$out"
}

size_of() { docker image inspect -f '{{.Size}}' "$1" 2>/dev/null || echo 0; }

# --- the run -------------------------------------------------------------------------------
say "mode $mode, apps: ${apps[*]}; minify: $MINIFY_BIN; logs: $LOGS"
for app in "${apps[@]}"; do
  dir="$REAL/$app" alog="$LOGS/$app"
  mkdir -p "$alog"
  res="$TMP/$app.json"
  image="minify-real/$app:1" slim="minify-real/$app.slim-$mode:1"
  orig_p=0 orig_t=0 slim_p=0 slim_t=0 rc=-1 secs=0 err="" orig_bytes=0 slim_bytes=0
  say "$app: building"
  if build_app "$app" "$alog/build.log"; then
    orig_bytes=$(size_of "$image")
    say "$app: checking the original"
    run_check "$app" "$image" "$alog/check-original.txt"
    orig_p=$CHECK_P orig_t=$CHECK_T
    say "$app: original $orig_p/$orig_t; minify build ($mode)"
    docker image rm -f "$slim" >/dev/null 2>&1 || true
    if [ "$mode" = suite ]; then
      load_env "$app"
      suite="'$dir/check.sh'"
      for p in $PORTS; do suite+=" \$MINIFY_TARGET_PORT_$p"; done
      flags=(--http-probe-off --host-exec "$suite")
      [ ! -f "$dir/suite.flags" ] || mapfile -t -O ${#flags[@]} flags < <(read_flags "$dir/suite.flags")
    else
      mapfile -t flags < <(read_flags "$dir/$mode.flags")
    fi
    holder_pid="" holders="$TMP/$app.holders"
    if [ "${CORPUS_KEEP_UNVERIFIED:-0}" = 1 ]; then
      : >"$holders"
      docker image rm -f "minify-real/$app.unverified-$mode:1" >/dev/null 2>&1 || true
      hold_unverified "$image" "$holders" & holder_pid=$!
    fi
    start=$(date +%s.%N)
    set +e
    (cd "$dir" && "$MINIFY_BIN" build --tag "$slim" --report "$alog/report-$mode.json" "${flags[@]}" \
        ${EXTRA_FLAGS[@]+"${EXTRA_FLAGS[@]}"} "$image") \
      >"$alog/minify-$mode.log" 2>&1
    rc=$?
    set -e
    if [ -n "$holder_pid" ]; then
      kill "$holder_pid" 2>/dev/null || true; wait "$holder_pid" 2>/dev/null || true
      keep_tag=""; [ "$rc" -eq 0 ] || keep_tag="minify-real/$app.unverified-$mode:1"
      release_holders "$holders" "$keep_tag"
    fi
    secs=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
    [ "$rc" -eq 0 ] || err=$(grep -m1 '^minify: \(error\|internal error\)' "$alog/minify-$mode.log" || tail -n1 "$alog/minify-$mode.log")
    slim_t=$orig_t
    if docker image inspect "$slim" >/dev/null 2>&1; then
      slim_bytes=$(size_of "$slim")
      say "$app: minify exit $rc in ${secs}s; checking the slim image"
      run_check "$app" "$slim" "$alog/check-slim-$mode.txt"
      slim_p=$CHECK_P slim_t=$CHECK_T
      [ "$slim_t" != 0 ] || slim_t=$orig_t
    else
      say "$app: minify exit $rc in ${secs}s, no slim image: $err"
    fi
  else
    err="build of the corpus image failed (see ${alog#"$ROOT"/}/build.log)"
  fi
  say "$app: original $orig_p/$orig_t, slim $slim_p/$slim_t"
  # the slim image's content id (its config digest, the same on either image store) and where
  # the monitor ran, from the build's report: what the engine matrix compares
  content_id=$(jq -r '.slimImageId // ""' "$alog/report-$mode.json" 2>/dev/null || true)
  placement=$(jq -r '[.stages[]? | select(.stage == "start gated") | .summary][0] // "" | sub(".*monitor armed "; "")' \
    "$alog/report-$mode.json" 2>/dev/null || true)
  jq -n --arg app "$app" --arg image "$image" --arg slim "$slim" --argjson ob "$orig_bytes" --argjson sb "$slim_bytes" \
    --argjson op "$orig_p" --argjson ot "$orig_t" --argjson sp "$slim_p" --argjson st "$slim_t" \
    --argjson rc "$rc" --argjson secs "$secs" --arg err "$err" --arg kind "$KIND" \
    --arg cid "$content_id" --arg placement "$placement" \
    '{app:$app, kind:$kind, image:$image, slimImage:$slim, slimContentId:$cid, monitor:$placement,
      originalBytes:$ob, slimBytes:$sb, originalPassed:$op, originalTotal:$ot, slimPassed:$sp, slimTotal:$st,
      buildExit:$rc, buildSeconds:$secs, error:$err}' >"$res"
done

mkdir -p "$RESULTS"
dest="$RESULTS/corpus-$mode-$stamp.json"
python3 - "$TMP" "$dest" "$mode" "$minify_version" "$LOGS" "${apps[@]}" <<'PY'
import json, os, platform, subprocess, sys
tmp, dest, mode, version, logs, apps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
rows = [json.load(open(f"{tmp}/{a}.json")) for a in apps if os.path.exists(f"{tmp}/{a}.json")]
def mb(b): return f"{b / 1e6:.1f}" if b else "-"
print(f"\ncorpus, mode {mode}")
print(f"{'app':<14}{'orig MB':>9}{'slim MB':>9}{'ratio':>8}{'orig ok':>9}{'slim ok':>9}{'exit':>6}{'secs':>7}")
for r in rows:
    ratio = f"{r['originalBytes'] / r['slimBytes']:.1f}x" if r["slimBytes"] else "-"
    print(f"{r['app']:<14}{mb(r['originalBytes']):>9}{mb(r['slimBytes']):>9}{ratio:>8}"
          f"{str(r['originalPassed']) + '/' + str(r['originalTotal']):>9}"
          f"{str(r['slimPassed']) + '/' + str(r['slimTotal']):>9}{r['buildExit']:>6}{r['buildSeconds']:>7}")
for r in rows:
    if r["error"]:
        print(f"  {r['app']}: {r['error']}")
full = [r for r in rows if r["slimTotal"] and r["slimPassed"] == r["slimTotal"]]
sp = sum(r["slimPassed"] for r in rows); st = sum(r["slimTotal"] for r in rows)
print(f"apps whose slim image passes every assertion: {len(full)} of {len(rows)}; assertions: {sp} of {st}")
engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
driver = subprocess.run(["docker", "info", "--format", "{{json .DriverStatus}}"], capture_output=True, text=True).stdout
store = "containerd" if "io.containerd.snapshotter" in driver else "classic"
print(f"engine: Docker {engine}, {store} image store")
json.dump({"mode": mode, "minify": version, "engine": engine, "imageStore": store,
           "dockerHost": os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock",
           "cpus": os.cpu_count(), "kernel": platform.release(),
           "logs": os.path.relpath(logs, os.path.dirname(dest)), "appsPassing": len(full), "apps": len(rows),
           "assertionsPassed": sp, "assertions": st, "results": rows}, open(dest, "w"), indent=2)
print(f"written to {dest}")
PY
exit 0
}
