#!/usr/bin/env bash
# Builds the local base images the sample apps start FROM (no registry is reachable, so
# nothing is ever pulled). Each image is skipped when it already exists with the same
# package list (recorded in its label io.minify.base.packages); a changed list rebuilds it.
#
#   minify-base:bookworm  Debian 12 minbase (debootstrap --variant=minbase)
#   minify-base:python    + python3, python3-flask
#   minify-base:node      + nodejs, npm with its recommends (the C toolchain and git that
#                           native modules need: what the official node images carry)
#   minify-base:java      + openjdk-17-jdk-headless and the extras JDK images usually carry
#                           (fontconfig, locales, tzdata, ca-certificates, curl, binutils)
#   minify-base:go        + golang-go (the toolchain stays in the image)
#   minify-base:redis     + redis-server
#
# Usage: base-images.sh [--force] [NAME...]   (NAME: bookworm python node java go redis)
#        base-images.sh [--force] --tag TAG --packages "PKG..." [--recommends]
#   The second form builds any other base (the corpus of real apps, sample-apps/real, uses
#   it): minbase + PKG... installed by apt-get, tagged TAG. It is skipped the same way when
#   TAG exists with the same package list (and --recommends choice).
#
# The debootstrap result and downloaded .debs are cached under $MINIFY_CACHE
# (default /var/cache/minify), so a rebuild does not download again.
# Needs root (debootstrap, chroot, mount) and a running engine (scripts/engine.sh).
set -euo pipefail

CACHE=${MINIFY_CACHE:-/var/cache/minify}
SUITE=bookworm
MINBASE_TAR="$CACHE/$SUITE-minbase.tar"
DEBS="$CACHE/debs"
REPO=minify-base

declare -A PKGS=(
  [python]="python3 python3-flask"
  [node]="nodejs npm"
  [java]="openjdk-17-jdk-headless fontconfig locales tzdata ca-certificates curl binutils"
  [go]="golang-go"
  [redis]="redis-server"
)
# images installed the way most Dockerfiles write it: with Debian's recommended packages
declare -A WITH_RECOMMENDS=([node]=1)
ALL=(bookworm python node java go redis)

say() { echo "base-images: $*" >&2; }
die() { echo "base-images: ERROR: $*" >&2; exit 1; }

force=0
names=()
custom_tag="" custom_pkgs="" custom_rec=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; custom_tag=$2; shift ;;
    --packages) [ $# -ge 2 ] || die "--packages needs a value"; custom_pkgs=$2; shift ;;
    --recommends) custom_rec=1 ;;
    bookworm|python|node|java|go|redis) names+=("$1") ;;
    *) die "unknown base image '$1' (known: ${ALL[*]}; or --tag TAG --packages \"PKG...\")" ;;
  esac
  shift
done
if [ -n "$custom_tag" ] || [ -n "$custom_pkgs" ]; then
  [ -n "$custom_tag" ] && [ -n "$custom_pkgs" ] || die "--tag and --packages go together"
  [ ${#names[@]} -eq 0 ] || die "--tag/--packages build one image; do not name others"
  case "$custom_tag" in *:*) ;; *) die "--tag needs REPO:TAG" ;; esac
  # normalized: one space between package names
  custom_pkgs=$(echo $custom_pkgs)
  names=(custom)
fi
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")

PKG_LABEL=io.minify.base.packages
# true when the image exists and was built from the package list given
have_image() {
  local got
  got=$(docker image inspect -f "{{index .Config.Labels \"$PKG_LABEL\"}}" "$1" 2>/dev/null) || return 1
  [ "$got" = "$2" ]
}

# Work dirs and mounts to undo on every exit path.
WORK=""
MOUNTS=()
cleanup() {
  local m
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    m=${MOUNTS[$i]}
    mountpoint -q "$m" && umount -l "$m" 2>/dev/null || true
  done
  MOUNTS=()
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then rm -rf --one-file-system "$WORK"; fi
  WORK=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

IMPORT_CHANGES=(
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change 'ENV LANG=C.UTF-8'
  --change 'CMD ["bash"]'
)

# Removes what must not end up in an image: apt lists and caches, host resolver, logs.
scrub_rootfs() {
  local dir=$1
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
         "$dir"/var/cache/apt/archives/partial/* "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old \
         "$dir"/tmp/* "$dir"/var/tmp/* "$dir"/root/.cache
  find "$dir"/var/log -type f -exec truncate -s 0 {} + 2>/dev/null || true
  : >"$dir/etc/resolv.conf" 2>/dev/null || true
  echo minify >"$dir/etc/hostname"
}

import_rootfs() {
  local dir=$1 tag=$2 pkgs=$3
  say "importing $tag"
  tar -C "$dir" --numeric-owner --xattrs -c . \
    | docker import "${IMPORT_CHANGES[@]}" --change "LABEL $PKG_LABEL=\"$pkgs\"" - "$tag" >/dev/null
  say "$tag: $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}

ensure_minbase_tar() {
  [ -s "$MINBASE_TAR" ] && return 0
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || die "debootstrap missing (run scripts/engine.sh)"
  mkdir -p "$CACHE" "$DEBS"
  WORK=$(mktemp -d "$CACHE/work.XXXXXX")
  say "debootstrap --variant=minbase $SUITE (a few minutes the first time)"
  PATH="$PATH:/usr/sbin:/sbin" debootstrap --variant=minbase --cache-dir="$DEBS" "$SUITE" "$WORK/root" \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -n 30 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  scrub_rootfs "$WORK/root"
  tar -C "$WORK/root" --numeric-owner --xattrs -cf "$MINBASE_TAR.part" .
  mv "$MINBASE_TAR.part" "$MINBASE_TAR"
  cleanup
}

build_bookworm() {
  ensure_minbase_tar
  WORK=$(mktemp -d "$CACHE/work.XXXXXX")
  mkdir "$WORK/root"
  tar -C "$WORK/root" --numeric-owner --xattrs -xf "$MINBASE_TAR"
  import_rootfs "$WORK/root" "$REPO:bookworm" minbase
  cleanup
}

# Copies the cached minbase rootfs and apt-get installs PKGS in a chroot of it.
# build_with_packages NAME PKGS [TAG] [RECOMMENDS(0|1)]
build_with_packages() {
  local name=$1 pkgs=$2 tag=${3:-$REPO:$1} rec=${4:-${WITH_RECOMMENDS[$1]:+1}} root
  ensure_minbase_tar
  WORK=$(mktemp -d "$CACHE/work.XXXXXX")
  root="$WORK/root"
  mkdir "$root"
  tar -C "$root" --numeric-owner --xattrs -xf "$MINBASE_TAR"
  mkdir -p "$DEBS/partial"
  mount -t proc proc "$root/proc";                 MOUNTS+=("$root/proc")
  mount --bind /dev "$root/dev";                   MOUNTS+=("$root/dev")
  mount --bind "$DEBS" "$root/var/cache/apt/archives"; MOUNTS+=("$root/var/cache/apt/archives")
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # No daemons may start inside the chroot (redis-server's postinst would try).
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  local recommends=--no-install-recommends
  [ "${rec:-0}" != 1 ] || recommends=--install-recommends
  say "installing into $tag: $pkgs ($recommends)"
  local log="$CACHE/apt-${tag//[\/:]/_}.log"
  # The .deb cache is shared: one apt-get at a time uses it (another checkout may be building).
  exec 9>"$CACHE/apt.lock"
  flock 9
  if ! chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
        sh -c "apt-get update -q && apt-get install -y -q $recommends $pkgs" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "apt-get install failed for $tag (log: $log)"
  fi
  flock -u 9
  exec 9>&-
  rm -f "$root/usr/sbin/policy-rc.d"
  cleanup_mounts_only "$root"
  scrub_rootfs "$root"
  local label=$pkgs
  [ "${rec:-0}" != 1 ] || label="$pkgs +recommends"
  import_rootfs "$root" "$tag" "$label"
  cleanup
}

cleanup_mounts_only() {
  local m
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    m=${MOUNTS[$i]}
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  MOUNTS=()
}

command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1 || die "no docker engine answers (run scripts/engine.sh)"
for n in "${names[@]}"; do
  tag="$REPO:$n"
  want=minbase
  if [ "$n" = custom ]; then
    tag=$custom_tag
    want=$custom_pkgs
    [ "$custom_rec" -eq 0 ] || want="$custom_pkgs +recommends"
  elif [ "$n" != bookworm ]; then
    want="${PKGS[$n]}${WITH_RECOMMENDS[$n]:+ +recommends}"
  fi
  if [ "$force" -eq 0 ] && have_image "$tag" "$want"; then
    say "$tag exists, skipped"
    continue
  fi
  [ "$(id -u)" -eq 0 ] || die "building $tag needs root"
  mkdir -p "$CACHE"
  case "$n" in
    bookworm) build_bookworm ;;
    custom) build_with_packages custom "$custom_pkgs" "$custom_tag" "$custom_rec" ;;
    *) build_with_packages "$n" "${PKGS[$n]}" ;;
  esac
done
