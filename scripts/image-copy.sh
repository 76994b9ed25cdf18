#!/usr/bin/env bash
# Copies images from one Docker engine to another by `docker save | docker load` (no
# registry involved), skipping each image the target already has with the same config
# digest under the same name.
#
# Usage: scripts/image-copy.sh [--from DOCKER_HOST] [--to DOCKER_HOST] IMAGE...
#   --from  default unix:///var/run/docker.sock (the engine scripts/engine.sh starts)
#   --to    default $DOCKER_HOST
#
# The config digest: on an engine with the classic image store it is the image id; on one
# with the containerd image store the image id is the manifest's digest, so the config
# digest is read from the manifest through that engine's containerd when its `ctr` and
# socket are given (IMAGE_COPY_CTR, IMAGE_COPY_CONTAINERD; scripts/engine-next.sh load sets
# them for its engine). For any other containerd-store engine, an image counts as the same
# when its layers, creation time and run configuration are.
# Messages go to stderr; exit non-zero when an image is missing on the source or a copy fails.
set -euo pipefail

FROM=unix:///var/run/docker.sock
TO=${DOCKER_HOST:-}
say() { echo "image-copy: $*" >&2; }
die() { echo "image-copy: ERROR: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --from) FROM=$2; shift 2 ;;
    --to) TO=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ -n "$TO" ] || die "no target engine: give --to or set DOCKER_HOST"
[ $# -gt 0 ] || exit 0
[ "$FROM" != "$TO" ] || exit 0
command -v jq >/dev/null 2>&1 || die "jq is needed (apt-get install jq)"

on() { local host=$1; shift; DOCKER_HOST=$host docker "$@"; }

containerd_store() {   # whether the engine at $1 keeps images in containerd
  on "$1" info --format '{{json .DriverStatus}}' 2>/dev/null | grep -q 'io.containerd.snapshotter'
}

# config_digest HOST IMAGE STORE: the config digest of IMAGE there; "" when it cannot be read
# (containerd store without ctr); fails when the image is not there.
config_digest() {
  local host=$1 image=$2 store=$3 id manifest arch
  id=$(on "$host" image inspect -f '{{.Id}}' "$image" 2>/dev/null) || return 1
  if [ "$store" = classic ]; then echo "$id"; return 0; fi
  [ -n "${IMAGE_COPY_CTR:-}" ] && [ -n "${IMAGE_COPY_CONTAINERD:-}" ] || { echo ""; return 0; }
  ctr_get() { "$IMAGE_COPY_CTR" --address "$IMAGE_COPY_CONTAINERD" -n moby content get "$1"; }
  manifest=$(ctr_get "$id") || { echo ""; return 0; }
  if jq -e '.manifests' >/dev/null 2>&1 <<<"$manifest"; then   # an index: this host's platform
    arch=$(on "$host" version --format '{{.Server.Arch}}')
    id=$(jq -r --arg a "$arch" '[.manifests[] | select(.platform.os == "linux" and .platform.architecture == $a)][0].digest' <<<"$manifest")
    manifest=$(ctr_get "$id") || { echo ""; return 0; }
  fi
  jq -r '.config.digest // ""' <<<"$manifest"
}

# identity HOST IMAGE: what an image is, readable on any engine (when no config digest is)
identity() {
  on "$1" image inspect -f '{{json .RootFS.Layers}} {{.Created}} {{.Os}}/{{.Architecture}} {{json .Config.Entrypoint}} {{json .Config.Cmd}} {{json .Config.Env}} {{.Config.WorkingDir}} {{.Config.User}}' "$2" 2>/dev/null
}

on "$FROM" version >/dev/null 2>&1 || die "the source engine $FROM does not answer"
on "$TO" version >/dev/null 2>&1 || die "the target engine $TO does not answer"
src_store=classic; containerd_store "$FROM" && src_store=containerd
dst_store=classic; containerd_store "$TO" && dst_store=containerd

missing=()
declare -A want
for image in "$@"; do
  src=$(config_digest "$FROM" "$image" "$src_store") || die "$image is not on the source engine $FROM"
  dst=$(config_digest "$TO" "$image" "$dst_store" 2>/dev/null) || dst=absent
  if [ "$dst" != absent ] && { { [ -n "$src" ] && [ "$src" = "$dst" ]; } \
      || { { [ -z "$src" ] || [ -z "$dst" ]; } && [ "$(identity "$FROM" "$image")" = "$(identity "$TO" "$image")" ]; }; }; then
    say "$image: already on $TO${dst:+ ($dst)}"
    continue
  fi
  missing+=("$image")
  want[$image]=$src
done
[ ${#missing[@]} -gt 0 ] || exit 0

say "copying ${missing[*]} from $FROM to $TO"
start=$(date +%s)
set +e
on "$FROM" save "${missing[@]}" | on "$TO" load >&2
rcs=("${PIPESTATUS[@]}")
set -e
[ "${rcs[0]}" -eq 0 ] || die "docker save on $FROM failed (exit ${rcs[0]})"
[ "${rcs[1]}" -eq 0 ] || die "docker load on $TO failed (exit ${rcs[1]})"
for image in "${missing[@]}"; do
  dst=$(config_digest "$TO" "$image" "$dst_store") || die "$image is not on $TO after docker load"
  if [ -n "${want[$image]}" ] && [ -n "$dst" ] && [ "$dst" != "${want[$image]}" ]; then
    die "$image on $TO has config $dst, not ${want[$image]}"
  fi
done
say "copied ${#missing[@]} image(s) in $(($(date +%s) - start))s"
