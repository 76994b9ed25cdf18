#!/usr/bin/env bash
# Builds minify-dind:bookworm, a Docker-in-Docker engine image made from Debian packages
# (nothing is pulled), for CI jobs that get their engine the way GitLab's dind service
# gives it: plain TCP on port 2375, no TLS. scripts/dind.sh starts and stops it.
#
#   rootfs  debootstrap --variant=minbase + docker.io iproute2 ca-certificates procps
#           (--no-install-recommends), built by scripts/base-images.sh as
#           minify-dind-rootfs:bookworm: it caches the minbase tarball and the .debs under
#           $MINIFY_CACHE (default /var/cache/minify) like every base image
#   config  one small layer on top: the entrypoint /usr/local/bin/minify-dind-entrypoint
#           under tini (the engine's exited shims are reaped), VOLUME /var/lib/docker,
#           EXPOSE 2375. The entrypoint makes the container's cgroup mounts writable and
#           runs dockerd -H tcp://0.0.0.0:2375 -H unix:///var/run/docker.sock --tls=false
#           --iptables=false --ip6tables=false --ip-masq=false, plus the arguments given
#           when they start with '-' (anything else is run as a command instead)
#
# Skipped when the image exists from the same recipe (label io.minify.dind.recipe: a hash of
# the package list, the entrypoint and the image config); a changed recipe rebuilds it.
#
# Usage: dind-image.sh [--force]     (--force also reinstalls the rootfs packages)
# Needs root (debootstrap, chroot) only when something must be built, and a running engine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
TAG=minify-dind:bookworm
ROOTFS_TAG=minify-dind-rootfs:bookworm
PACKAGES="docker.io iproute2 ca-certificates procps"
RECIPE_LABEL=io.minify.dind.recipe

say() { echo "dind-image: $*" >&2; }
die() { echo "dind-image: ERROR: $*" >&2; exit 1; }

force=0
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: dind-image.sh [--force])" ;;
esac

read -r -d '' ENTRYPOINT <<'EOF' || true
#!/bin/sh
# Entrypoint of minify-dind (scripts/dind-image.sh). PID 1 is tini.
set -eu
say() { echo "minify-dind: $*" >&2; }

# The engine creates a cgroup per container: the container's own cgroup mounts must be
# writable (docker mounts them read-only in a container that is not --privileged).
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  mount -o remount,bind,rw /sys/fs/cgroup 2>/dev/null || say "cannot remount /sys/fs/cgroup rw"
  # cgroup v2 nesting: no process may stay in the root of the (namespaced) tree once
  # controllers are enabled for its children
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers \
    >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || say "cannot enable cgroup v2 controllers"
else
  for m in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts); do
    mount -o remount,bind,rw "$m" 2>/dev/null || say "cannot remount $m rw"
  done
fi

# state of an earlier run of this container (docker restart)
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid

if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
  exec dockerd \
    -H tcp://0.0.0.0:2375 -H unix:///var/run/docker.sock --tls=false \
    --data-root /var/lib/docker \
    --iptables=false --ip6tables=false --ip-masq=false \
    "$@"
fi
exec "$@"
EOF

CHANGES=(
  'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/minify-dind-entrypoint"]'
  'CMD []'
  'VOLUME /var/lib/docker'
  'EXPOSE 2375'
)

recipe=$(printf '%s\n' "$PACKAGES" "$ENTRYPOINT" "${CHANGES[@]}" | sha256sum | cut -c1-16)

command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1 \
  || die "no docker engine answers (run scripts/engine.sh)"

if [ "$force" -eq 0 ]; then
  got=$(docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$TAG" 2>/dev/null || true)
  if [ "$got" = "$recipe" ]; then
    say "$TAG exists, skipped"
    exit 0
  fi
fi

start=$(date +%s)
base_args=(--tag "$ROOTFS_TAG" --packages "$PACKAGES")
[ "$force" -eq 0 ] || base_args=(--force "${base_args[@]}")
"$here/base-images.sh" "${base_args[@]}"

WORK="" CID=""
cleanup() {
  [ -z "$CID" ] || docker rm -f "$CID" >/dev/null 2>&1 || true
  [ -z "$WORK" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

WORK=$(mktemp -d)
mkdir -p "$WORK/usr/local/bin"
printf '%s\n' "$ENTRYPOINT" >"$WORK/usr/local/bin/minify-dind-entrypoint"
chmod 755 "$WORK/usr/local/bin/minify-dind-entrypoint"

say "adding the entrypoint and config to $ROOTFS_TAG"
CID=$(docker create --pull never "$ROOTFS_TAG" true)
tar -C "$WORK" --owner=0 --group=0 --numeric-owner -c usr/local/bin/minify-dind-entrypoint | docker cp - "$CID:/"
commit_args=()
for c in "${CHANGES[@]}"; do commit_args+=(--change "$c"); done
docker commit "${commit_args[@]}" --change "LABEL $RECIPE_LABEL=\"$recipe\"" \
  -m "minify dind entrypoint (scripts/dind-image.sh)" "$CID" "$TAG" >/dev/null

say "$TAG: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}')," \
  "built in $(( $(date +%s) - start )) s"
