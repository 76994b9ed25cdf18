#!/usr/bin/env bash
# Builds the sample app images minify-sample/<name>:1.0 (default: all of them).
#
# Usage: build-samples.sh [NAME...]
#   NAME: python-flask node-express java-http go-http static-scratch whiteout redis
#
# Makes sure an engine answers (engine.sh) and the local base images exist
# (base-images.sh) first. Host-side preparation, since builds have no network:
#   node-express  `npm ci --omit=dev` on the host, skipped while node_modules matches the lock
#   java-http     the jar from the Maven module sample-apps, rebuilt when sources changed
# Idempotent: a second run is quick (docker build cache).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SAMPLES="$ROOT/sample-apps"
ALL=(python-flask node-express java-http go-http static-scratch whiteout redis)
TAG_VERSION=1.0
IMAGE_REPO=${MINIFY_SAMPLE_REPO:-minify-sample}   # tag prefix; override to build side copies

say() { echo "build-samples: $*" >&2; }
die() { echo "build-samples: ERROR: $*" >&2; exit 1; }

names=()
for a in "$@"; do
  case "$a" in
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    python-flask|node-express|java-http|go-http|static-scratch|whiteout|redis) names+=("$a") ;;
    *) die "unknown sample '$a' (known: ${ALL[*]})" ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")

base_of() {
  case "$1" in
    python-flask|whiteout) echo python ;;
    node-express) echo node ;;
    java-http) echo java ;;
    go-http|static-scratch) echo go ;;
    redis) echo redis ;;
  esac
}

"$HERE/engine.sh"
bases=()
for n in "${names[@]}"; do bases+=("$(base_of "$n")"); done
mapfile -t bases < <(printf '%s\n' "${bases[@]}" | sort -u)
"$HERE/base-images.sh" "${bases[@]}"

prepare_node_express() {
  local dir="$SAMPLES/node-express" stamp want
  stamp="$dir/node_modules/.minify-npm-ci.sha256"
  want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "node-express: node_modules up to date with the lock"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed on the host for node-express (apt-get install npm)"
  say "node-express: npm ci --omit=dev"
  (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed in $dir"
  echo "$want" >"$stamp"
}

prepare_java_http() {
  local dir="$SAMPLES/java-http" jar="$SAMPLES/target/java-http.jar" plugin="$SAMPLES/target/java-http-plugin.jar"
  if [ ! -f "$jar" ] || [ ! -f "$plugin" ] || [ -n "$(find "$SAMPLES/src" "$SAMPLES/pom.xml" "$ROOT/pom.xml" -newer "$jar" -print -quit)" ]; then
    command -v mvn >/dev/null 2>&1 || die "maven is needed on the host for java-http (apt-get install maven)"
    say "java-http: mvn package (sample-apps)"
    mvn -q -B -Dstyle.color=never -f "$SAMPLES/pom.xml" package -DskipTests >&2 || die "maven build of sample-apps failed"
  fi
  mkdir -p "$dir/build"
  cmp -s "$jar" "$dir/build/app.jar" || cp "$jar" "$dir/build/app.jar"
  cmp -s "$plugin" "$dir/build/plugin.jar" || cp "$plugin" "$dir/build/plugin.jar"
}

for n in "${names[@]}"; do
  case "$n" in
    node-express) prepare_node_express ;;
    java-http) prepare_java_http ;;
  esac
  tag="$IMAGE_REPO/$n:$TAG_VERSION"
  say "building $tag"
  start=$SECONDS
  # Classic builder: BuildKit is not always installed, and nothing here needs it.
  log=$(mktemp)
  if ! DOCKER_BUILDKIT=0 docker build -t "$tag" "$SAMPLES/$n" >"$log" 2>&1; then
    grep -v 'DEPRECATED\|legacy builder\|BuildKit\|buildx\|^ *$' "$log" | tail -n 40 >&2 || true
    rm -f "$log"
    die "docker build of $tag failed"
  fi
  rm -f "$log"
  say "$tag built in $((SECONDS - start))s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1/1e6}'))"
done
