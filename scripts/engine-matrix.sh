#!/usr/bin/env bash
# Every engine form minify meets, side by side: minify builds the same images (the python-flask
# sample probing its stable routes, and the corpus apps nginx, postgres and redis with their
# default flags; MATRIX_APPS chooses) on
#   20.10-host      the first engine (scripts/engine.sh, classic store), monitor on this host
#   20.10-engine    the same engine, MINIFY_SENSOR=engine (the sensor in a sidecar)
#   next-host       sid's engine with the containerd image store (scripts/engine-next.sh)
#   next-engine     the same, MINIFY_SENSOR=engine
#   dind            a docker-in-docker engine reached over tcp://127.0.0.1 (scripts/dind.sh),
#                   as a GitLab job reaches its dind service: auto placement, ports forwarded
#   socket          minify from its own image (scripts/minify-image.sh) with the first
#                   engine's socket mounted, as a CI container step runs it: auto placement
#   podman          rootful Podman's Docker-compatible API (scripts/podman.sh), auto placement
#                   (not in the default list: it installs Podman)
# and records per form: exit code, wall seconds, where the monitor ran, the slim image's
# content id (config digest: the same bytes give the same id on every form) and the images
# the engine holds afterwards that it did not hold before (none may be new but the slim tag).
# Prints a table and writes bench/results/engines-<UTC time>.json.
#
# Usage: [MATRIX_APPS="python-flask nginx"] scripts/engine-matrix.sh [FORM...]   (default: all six)
# The corpus images must exist on the first engine (scripts/corpus.sh build nginx postgres redis).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

read -r -a APPS <<<"${MATRIX_APPS:-python-flask nginx postgres redis}"
# image, flags and first port of an app
app_image() { case "$1" in python-flask) echo minify-sample/python-flask:1.0 ;; *) echo "minify-real/$1:1" ;; esac; }
app_flags() {
  if [ "$1" = python-flask ]; then
    grep -v volatile sample-apps/python-flask/routes.txt | while read -r method path _; do
      [ -n "$method" ] && printf '%s\n' --http-probe-cmd "$method:$path"
    done
  else
    grep -v '^#' "sample-apps/real/$1/default.flags" | sed '/^$/d'
  fi
}
app_port() {
  case "$1" in python-flask) echo 8080 ;; *) sed -n 's/^PORTS="\([0-9]*\).*/\1/p' "sample-apps/real/$1/app.env" ;; esac
}
forms=("$@")
[ ${#forms[@]} -gt 0 ] || forms=(20.10-host 20.10-engine next-host next-engine dind socket)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/engines-$stamp.json
work=$(mktemp -d)
trap 'rm -rf "$work"; scripts/dind.sh stop >/dev/null 2>&1 || true; scripts/podman.sh stop >/dev/null 2>&1 || true' EXIT

say() { echo "engine-matrix: $*" >&2; }
[ -f cli/target/minify.jar ] || mvn -B -q -DskipTests package

rows=()
images=()
for app in "${APPS[@]}"; do images+=("$(app_image "$app")"); done
for form in "${forms[@]}"; do
  env=(env -u DOCKER_HOST)
  case "$form" in
    20.10-host) ;;
    20.10-engine) env+=(MINIFY_SENSOR=engine) ;;
    next-host|next-engine)
      host=$(scripts/engine-next.sh)
      scripts/engine-next.sh load "${images[@]}" >&2
      env+=(DOCKER_HOST="$host")
      [ "$form" = next-engine ] && env+=(MINIFY_SENSOR=engine) ;;
    dind)
      host=$(scripts/dind.sh start)
      scripts/dind.sh load "${images[@]}" >&2
      env+=(DOCKER_HOST="$host") ;;
    socket) scripts/minify-image.sh >&2 ;;
    podman)
      host=$(scripts/podman.sh start)
      scripts/podman.sh load "${images[@]}" >&2
      env+=(DOCKER_HOST="$host") ;;
    *) echo "engine-matrix: unknown form '$form'" >&2; exit 2 ;;
  esac
  for app in "${APPS[@]}"; do
  IMAGE=$(app_image "$app")
  SLIM="minify-matrix/$app.slim:1"
  mapfile -t FLAGS < <(app_flags "$app")
  before=$("${env[@]}" docker images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' | sort)
  report="$work/$form-$app.json"
  start=$(date +%s.%N)
  set +e
  if [ "$form" = socket ]; then
    version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
    docker run --rm -v /var/run/docker.sock:/var/run/docker.sock --network host -v "$work:/work" \
      "minify:$version" build --tag "$SLIM" --report "/work/$form-$app.json" "${FLAGS[@]}" "$IMAGE" \
      >"$work/$form-$app.log" 2>&1
  else
    publish=()
    [ "$form" = dind ] && publish=(--publish-port "28080:$(app_port "$app")")
    "${env[@]}" ./minify build --tag "$SLIM" --report "$report" "${publish[@]}" "${FLAGS[@]}" "$IMAGE" \
      >"$work/$form-$app.log" 2>&1
  fi
  rc=$?
  set -e
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  after=$("${env[@]}" docker images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep -v " $SLIM\$" | grep -v "^sha256:[0-9a-f]* <none>:<none>\$" || true)
  # an image that was there untagged before and got our tag is not new; a new untagged one is
  new_untagged=$(comm -13 <(echo "$before" | cut -d' ' -f1 | sort -u) <(echo "$after" | cut -d' ' -f1 | sort -u) \
    | while read -r id; do grep -q "^$id $SLIM\$" <<<"$after" || echo "$id"; done)
  left=$(printf '%s\n%s\n' "$new" "$new_untagged" | sed '/^$/d' | sort -u | tr '\n' ' ')
  containers=$("${env[@]}" docker ps -aq --filter label=io.minify.owner | tr '\n' ' ')
  engine=$(jq -r '.engine // ""' "$report" 2>/dev/null || true)
  cid=$(jq -r '.slimImageId // ""' "$report" 2>/dev/null || true)
  monitor=$(jq -r '[.stages[]? | select(.stage == "start gated") | .summary][0] // "" | sub(".*monitor armed "; "")' \
    "$report" 2>/dev/null || true)
  probes=$(jq -r '"\([.probes[]? | select(.matches)] | length)/\(.probes | length)"' "$report" 2>/dev/null || echo "-")
  err=$(grep -m1 '^minify: error' "$work/$form-$app.log" || true)
  say "$form $app: exit $rc in ${secs}s, $monitor, $cid, probes $probes ${err}"
  rows+=("$(jq -n --arg form "$form" --arg app "$app" --arg engine "$engine" --argjson rc "$rc" --argjson secs "$secs" \
    --arg monitor "$monitor" --arg cid "$cid" --arg probes "$probes" --arg left "$left" --arg containers "$containers" \
    --arg err "$err" '{form:$form, app:$app, engine:$engine, exit:$rc, seconds:($secs*10|round/10), monitor:$monitor,
      slimContentId:$cid, probesMatching:$probes, imagesLeft:$left, containersLeft:$containers, error:$err}')")
  "${env[@]}" docker image rm "$SLIM" >/dev/null 2>&1 || true
  done
  [ "$form" = dind ] && scripts/dind.sh stop >/dev/null 2>&1
  [ "$form" = podman ] && scripts/podman.sh stop >/dev/null 2>&1
done

printf '%s\n' "${rows[@]}" | jq -s --arg apps "${APPS[*]}" --arg cpus "$(nproc)" --arg kernel "$(uname -r)" \
  '{apps:$apps, cpus:($cpus|tonumber), kernel:$kernel, forms:.}' >"$out"
printf '%-13s %-13s %4s %7s %-15s %-20s %-7s %s\n' form app exit seconds monitor "content id" probes left
jq -r '.forms[] | [.form, .app, (.exit|tostring), (.seconds|tostring), .monitor, .slimContentId[0:19],
  .probesMatching, ((.imagesLeft + .containersLeft) | if . == "" then "nothing" else . end)] | @tsv' "$out" \
  | while IFS=$'\t' read -r f e x s m c p l; do printf '%-13s %-13s %4s %7s %-15s %-20s %-7s %s\n' "$f" "$e" "$x" "$s" "$m" "$c" "$p" "$l"; done
jq -r '[.forms[] | "\(.form): \(.engine)"] | unique[]' "$out"
echo "written: $out"
