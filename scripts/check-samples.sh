#!/usr/bin/env bash
# Smoke-tests the sample images: runs each minify-sample/<name>:1.0 (or IMAGE given with
# --image) with port 8080 published on 127.0.0.1, sends every route of its routes.txt twice,
# checks status and body substring, and that non-volatile routes answer the same body twice.
# Removes its containers on every exit path.
#
# Usage: check-samples.sh [NAME...]            (default: all samples)
#        check-samples.sh --image IMAGE NAME   (check another image, e.g. a slim one, against NAME's routes)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES="$(cd "$HERE/.." && pwd)/sample-apps"
ALL=(python-flask node-express java-http go-http static-scratch whiteout)

image_override=""
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image_override=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) [ -f "$SAMPLES/$1/routes.txt" ] || { echo "check-samples: unknown sample '$1'" >&2; exit 2; }
       names+=("$1"); shift ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
[ -z "$image_override" ] || [ ${#names[@]} -eq 1 ] || { echo "check-samples: --image needs exactly one NAME" >&2; exit 2; }

CIDS=()
TMP=$(mktemp -d)
cleanup() {
  for c in "${CIDS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0 passed=0
check_one() {
  local name=$1 image=${image_override:-minify-sample/$1:1.0} cid port ok=1
  cid=$(docker run -d -p 127.0.0.1::8080 "$image")
  CIDS+=("$cid")
  port=$(docker port "$cid" 8080/tcp | head -n1 | sed 's/.*://')
  for ((i = 0; i < 120; i++)); do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" && break
    if [ "$(docker inspect -f '{{.State.Running}}' "$cid")" != true ]; then break; fi
    sleep 0.25
  done
  while read -r method path status substr flag; do
    [ -n "${method:-}" ] && [ "${method:0:1}" != "#" ] || continue
    local got body1 body2
    got=$(curl -s -X "$method" -o "$TMP/b1" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port$path" || echo 000)
    if [ "$got" != "$status" ] || ! grep -qF -- "$substr" "$TMP/b1"; then
      echo "  FAIL $name $method $path: status $got (want $status), body: $(head -c 200 "$TMP/b1" | tr '\n' ' ')" >&2
      ok=0; continue
    fi
    if [ "${flag:-}" != volatile ]; then
      curl -s -X "$method" -o "$TMP/b2" --max-time 10 "http://127.0.0.1:$port$path" || true
      if ! cmp -s "$TMP/b1" "$TMP/b2"; then
        echo "  FAIL $name $method $path: body differs between two requests" >&2; ok=0; continue
      fi
    fi
    echo "  ok   $name $method $path $got" >&2
  done <"$SAMPLES/$name/routes.txt"
  if [ $ok -eq 1 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "  --- logs of $image:" >&2; docker logs --tail 20 "$cid" >&2 2>&1 || true
  fi
  docker rm -f "$cid" >/dev/null 2>&1 || true
}

for n in "${names[@]}"; do
  echo "check-samples: $n" >&2
  check_one "$n"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
