#!/usr/bin/env bash
# A second, newer Docker engine with the containerd image store, beside the first one
# (scripts/engine.sh: Debian 12's docker.io 20.10 on /var/run/docker.sock), for the engine
# matrix of the test suite (scripts/test.sh) and for scripts/corpus.sh.
#
# Usage: scripts/engine-next.sh [start]          make it answer; print its DOCKER_HOST
#        scripts/engine-next.sh load IMAGE...    start it, then copy IMAGEs onto it from the
#                                                first engine (scripts/image-copy.sh)
#        scripts/engine-next.sh host             print its DOCKER_HOST (nothing started)
#        scripts/engine-next.sh stop             stop its dockerd and containerd, drop its bridge
#
# `start` prints exactly one line on stdout, the DOCKER_HOST to use
# (unix:///run/minify-engine-next/docker.sock); everything else goes to stderr and to
# /var/log/minify-engine-next.log. It is quick when the engine already answers.
#
# Cold start, as root on Debian 12 (no systemd needed):
#  - `apt-get download` of docker.io and containerd from Debian sid or trixie, whichever has
#    the newer docker.io whose binaries run here; with an apt state of its own
#    (/var/cache/minify/engine-next/apt: sources, lists, cache), so the host's apt
#    configuration and lists are never changed and nothing on the host is upgraded. The
#    mirror is the one the host's own apt sources use for Debian.
#  - `dpkg -x` into /var/cache/minify/engine-next/<docker.io version>/root (kept for later).
#  - its own containerd (the downloaded one, with its shim first on PATH; runc is the
#    host's), its own dockerd with the containerd snapshotter (daemon.json
#    {"features": {"containerd-snapshotter": true}}). Its own socket, data root
#    (/var/lib/minify-engine-next), exec root and pid files (/run/minify-engine-next), and
#    cgroup parent. Its containerd is started here, not by dockerd: dockerd would attach to
#    a system containerd at /run/containerd/containerd.sock if one ever ran, and share it.
#  - networking that never touches the first engine's: a bridge of its own (mfy-next0,
#    10.213.37.1/24, made here with `ip link`; never docker0), user networks from
#    10.214.0.0/16, --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false,
#    and published ports bound to 127.0.0.1 by default ("ip" in daemon.json).
#  - checks that `docker info` reports the containerd snapshotter
#    (driver-type: io.containerd.snapshotter.v1).
#
# Environment: MINIFY_ENGINE_NEXT_SUITES (default "sid trixie"), MINIFY_ENGINE_NEXT_CIDR
# (bridge address, default 10.213.37.1/24), MINIFY_ENGINE_NEXT_POOL (default
# 10.214.0.0/16), MINIFY_DEBIAN_MIRROR (default: the host's Debian mirror),
# MINIFY_ENGINE_WAIT (seconds to wait for the daemons, default 60).
set -euo pipefail

NAME=minify-engine-next
RUN=/run/$NAME
SOCK=$RUN/docker.sock
DOCKER_HOST_NEXT=unix://$SOCK
CTRD_SOCK=$RUN/containerd/containerd.sock
DATA=/var/lib/$NAME
CACHE=/var/cache/minify/engine-next
ETC=$CACHE/etc
LOG=/var/log/$NAME.log
BRIDGE=mfy-next0
BRIDGE_CIDR=${MINIFY_ENGINE_NEXT_CIDR:-10.213.37.1/24}
POOL=${MINIFY_ENGINE_NEXT_POOL:-10.214.0.0/16}
SUITES=${MINIFY_ENGINE_NEXT_SUITES:-sid trixie}
WAIT_SECONDS=${MINIFY_ENGINE_WAIT:-60}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$PATH:/usr/sbin:/sbin"

say() { echo "engine-next: $*" >&2; echo "$(date -u +%FT%TZ) engine-next: $*" >>"$LOG" 2>/dev/null || true; }
die() { say "ERROR: $*"; exit 1; }

next_up() { DOCKER_HOST=$DOCKER_HOST_NEXT timeout 10 docker info >/dev/null 2>&1; }

# pid_of FILE EXE: the pid in FILE when that process runs EXE (a binary of our cache), else "".
pid_of() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 0
  case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
    "$CACHE"/*/"$2" | "$CACHE"/*/"$2 (deleted)") echo "$pid" ;;
  esac
}

# --- getting the binaries ---------------------------------------------------------------------
# The Debian mirror the host's apt sources use (deb822 .sources or one-line .list files).
debian_mirror() {
  if [ -n "${MINIFY_DEBIAN_MIRROR:-}" ]; then echo "$MINIFY_DEBIAN_MIRROR"; return; fi
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
      { u = ""; s = ""; t = "";
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u); split(u, us, /[ \t]+/); u = us[1] }
          if ($i ~ /^Suites:/) s = $i
          if ($i ~ /^Types:/) t = $i }
        if (t ~ /deb( |$)/ && s ~ /[ \t]bookworm([ \t]|$)/ && u != "") { print u; exit } }' "$f")
    [ -z "$uri" ] || { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(sed -n 's/^deb[ \t]\+\(\[[^]]*\][ \t]\+\)\?\([^ \t]\+\)[ \t]\+bookworm[ \t].*/\2/p' "$f" | head -n1)
    [ -z "$uri" ] || { echo "$uri"; return; }
  done
  die "no Debian bookworm entry in the host's apt sources to take the mirror from; set MINIFY_DEBIAN_MIRROR"
}

APT_DIR=$CACHE/apt
APT_OPTS=(-o "Dir::Etc::sourcelist=$APT_DIR/sources.list" -o "Dir::Etc::sourceparts=$APT_DIR/sources.list.d"
  -o "Dir::Etc::preferences=$APT_DIR/preferences" -o "Dir::Etc::preferencesparts=$APT_DIR/preferences.d"
  -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o "APT::Sandbox::User=root")

# suite_version PACKAGE SUITE: the version SUITE has (from our own lists), or "".
suite_version() {
  apt-cache "${APT_OPTS[@]}" madison "$1" 2>/dev/null \
    | awk -F'|' -v s=" $2/main " '$3 ~ s { gsub(/[ \t]/, "", $2); print $2; exit }'
}

# Newest cached version whose binaries are complete; prints its root dir.
cached_root() {
  local d best=""
  for d in "$CACHE"/*/; do
    [ -f "$d/complete" ] || continue
    d=${d%/}
    if [ -z "$best" ] || dpkg --compare-versions "$(basename "$d")" gt "$(basename "$best")"; then best=$d; fi
  done
  [ -z "$best" ] || echo "$best/root"
}

fetch_binaries() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found"
  [ -r "$KEYRING" ] || die "$KEYRING missing (apt-get install debian-archive-keyring)"
  local mirror s
  mirror=$(debian_mirror)
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/sources.list.d" \
    "$APT_DIR/preferences.d" "$APT_DIR/debs"
  : >"$APT_DIR/preferences"
  : >"$APT_DIR/sources.list"
  for s in $SUITES; do echo "deb [signed-by=$KEYRING] $mirror $s main" >>"$APT_DIR/sources.list"; done
  say "apt-get update of $SUITES (own apt state in $APT_DIR; the host's apt is untouched)"
  # a suite whose signature this keyring cannot check is only skipped
  apt-get "${APT_OPTS[@]}" -q update >>"$LOG" 2>&1 || say "apt-get update reported errors (see $LOG); trying what it got"
  # candidates: "docker.io-version containerd-version suite", newest docker.io first
  local cands=() dv cv
  for s in $SUITES; do
    dv=$(suite_version docker.io "$s"); cv=$(suite_version containerd "$s")
    [ -n "$dv" ] && [ -n "$cv" ] && cands+=("$dv $cv $s")
  done
  [ ${#cands[@]} -gt 0 ] || die "neither of $SUITES offers docker.io and containerd (see $LOG)"
  mapfile -t cands < <(printf '%s\n' "${cands[@]}" | sort -r -V -k1,1)
  local c tmp root
  for c in "${cands[@]}"; do
    read -r dv cv s <<<"$c"
    say "trying docker.io $dv with containerd $cv ($s)"
    rm -f "$APT_DIR"/debs/*.deb
    if ! (cd "$APT_DIR/debs" && apt-get "${APT_OPTS[@]}" -q download "docker.io=$dv" "containerd=$cv") >>"$LOG" 2>&1; then
      say "apt-get download failed (see $LOG)"; continue
    fi
    tmp="$CACHE/$dv.tmp"
    rm -rf "$tmp"; mkdir -p "$tmp/root"
    for deb in "$APT_DIR"/debs/*.deb; do dpkg -x "$deb" "$tmp/root"; done
    root="$tmp/root"
    if [ -x "$root/usr/sbin/dockerd" ] && [ -x "$root/usr/bin/containerd" ] && [ -x "$root/usr/bin/containerd-shim-runc-v2" ] \
        && [ -x "$root/usr/sbin/docker-proxy" ] && "$root/usr/sbin/dockerd" --version >>"$LOG" 2>&1 \
        && "$root/usr/bin/containerd" --version >>"$LOG" 2>&1; then
      echo "docker.io $dv containerd $cv suite $s" >"$tmp/complete"
      rm -rf "${CACHE:?}/$dv"; mv "$tmp" "$CACHE/$dv"
      rm -f "$APT_DIR"/debs/*.deb
      say "cached docker.io $dv and containerd $cv from $s in $CACHE/$dv"
      return 0
    fi
    say "docker.io $dv from $s does not run here (see $LOG)"
    rm -rf "$tmp"
  done
  die "no docker.io of $SUITES runs on this machine"
}

# --- starting ---------------------------------------------------------------------------------
need_tool() {   # need_tool COMMAND PACKAGE: apt-get install PACKAGE (from the host's own sources) when missing
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || die "$1 missing (apt-get install $2)"
  say "installing $2"
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2"; } >>"$LOG" 2>&1 \
    || die "apt-get install $2 failed (see $LOG)"
}

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    local net=${BRIDGE_CIDR%.*}.
    # the address must be free: no route of the host may cover it already
    if ip -4 route show | awk '{print $1}' | grep -q "^${net//./\\.}"; then
      die "$BRIDGE_CIDR overlaps a route of this host; set MINIFY_ENGINE_NEXT_CIDR"
    fi
    say "creating bridge $BRIDGE ($BRIDGE_CIDR)"
    ip link add "$BRIDGE" type bridge
  fi
  ip -4 addr show dev "$BRIDGE" | grep -q " ${BRIDGE_CIDR%/*}/" || ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

write_configs() {
  mkdir -p "$ETC" "$RUN/containerd" "$DATA/containerd" "$DATA/docker"
  chmod 0711 "$RUN" "$DATA"
  cat >"$ETC/containerd.toml" <<EOF
# containerd of $NAME (scripts/engine-next.sh); only its dockerd talks to it
version = 2
root = "$DATA/containerd"
state = "$RUN/containerd"
# no Kubernetes CRI, no NRI socket in /var/run/nri, nothing from /opt/containerd
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime",
  "io.containerd.podsandbox.controller.v1.podsandbox", "io.containerd.nri.v1.nri", "io.containerd.internal.v1.opt"]
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = "$CTRD_SOCK.ttrpc"
[debug]
  address = "$RUN/containerd/debug.sock"
[metrics]
  address = ""
EOF
  cat >"$ETC/daemon.json" <<EOF
{
  "features": {"containerd-snapshotter": true},
  "ip": "127.0.0.1",
  "default-address-pools": [{"base": "$POOL", "size": 24}],
  "cgroup-parent": "/$NAME"
}
EOF
}

# An engine whose binaries were deleted under it (its cache emptied while it ran) still
# answers, but cannot start a port proxy ("fork/exec .../docker-proxy: no such file"): it is
# stopped and started again from a fresh download.
running_from_deleted() {
  local pid
  pid=$(pid_of "$RUN/dockerd.pid" usr/sbin/dockerd)
  [ -n "$pid" ] && [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == *" (deleted)" ]]
}

start() {
  if running_from_deleted; then
    say "the running engine's binaries are gone (its cache was emptied): restarting it"
    stop
  fi
  if next_up; then echo "$DOCKER_HOST_NEXT"; return 0; fi
  [ "$(id -u)" -eq 0 ] || die "the engine at $DOCKER_HOST_NEXT does not answer and starting it needs root"
  command -v docker >/dev/null 2>&1 || die "no docker client (scripts/engine.sh installs docker.io)"
  # one start at a time (test.sh and corpus.sh may both ask); the second finds it up
  exec 9>"/run/$NAME.lock"
  flock -w 300 9 || die "another engine-next.sh holds /run/$NAME.lock"
  if next_up; then echo "$DOCKER_HOST_NEXT"; return 0; fi
  need_tool ip iproute2
  mkdir -p "$CACHE" "$(dirname "$LOG")"
  local root
  root=$(cached_root)
  if [ -z "$root" ]; then
    fetch_binaries
    root=$(cached_root)
  fi
  [ -n "$root" ] || die "no engine binaries in $CACHE"
  local path="$root/usr/bin:$root/usr/sbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  ensure_bridge
  write_configs

  local ctrd_pid dockerd_pid
  ctrd_pid=$(pid_of "$RUN/containerd.pid" usr/bin/containerd)
  if [ -z "$ctrd_pid" ]; then
    rm -f "$CTRD_SOCK" "$CTRD_SOCK.ttrpc"
    say "starting containerd $("$root/usr/bin/containerd" --version | awk '{print $3}') (log: $LOG)"
    PATH=$path nohup "$root/usr/bin/containerd" --config "$ETC/containerd.toml" >>"$LOG" 2>&1 </dev/null 9>&- &
    echo $! >"$RUN/containerd.pid"
    disown || true
    ctrd_pid=$(cat "$RUN/containerd.pid")
  fi
  local i
  for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
    [ -S "$CTRD_SOCK" ] && break
    [ -d "/proc/$ctrd_pid" ] || { tail -n 20 "$LOG" >&2; die "containerd exited; see $LOG"; }
    sleep 0.25
  done
  [ -S "$CTRD_SOCK" ] || die "containerd did not open $CTRD_SOCK within ${WAIT_SECONDS}s; see $LOG"

  dockerd_pid=$(pid_of "$RUN/dockerd.pid" usr/sbin/dockerd)
  if [ -z "$dockerd_pid" ]; then
    # At start, dockerd deletes the "bridge" network its data root kept from the last run, and
    # with it the interface that network names; a stale one can name docker0, the FIRST
    # engine's bridge (seen here: every container of the first engine then failed with "could
    # not find bridge docker0"). Networks are not state we keep: start without any.
    rm -f "$DATA/docker/network/files/local-kv.db"
    say "starting dockerd $("$root/usr/sbin/dockerd" --version | awk '{print $3}' | tr -d ,) on $DOCKER_HOST_NEXT (log: $LOG)"
    PATH=$path nohup "$root/usr/sbin/dockerd" --config-file "$ETC/daemon.json" --host "$DOCKER_HOST_NEXT" \
      --containerd "$CTRD_SOCK" --data-root "$DATA/docker" --exec-root "$RUN/exec" --pidfile "$RUN/dockerd.pid" \
      --bridge "$BRIDGE" --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
      --userland-proxy-path "$root/usr/sbin/docker-proxy" >>"$LOG" 2>&1 </dev/null 9>&- &
    dockerd_pid=$!
    disown || true
  fi
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    if [ -S "$SOCK" ] && next_up; then break; fi
    [ -d "/proc/$dockerd_pid" ] || { tail -n 20 "$LOG" >&2; die "dockerd exited; see $LOG"; }
    sleep 0.5
  done
  next_up || { tail -n 20 "$LOG" >&2; die "dockerd did not answer on $DOCKER_HOST_NEXT within ${WAIT_SECONDS}s; see $LOG"; }
  local driver
  driver=$(DOCKER_HOST=$DOCKER_HOST_NEXT docker info --format '{{json .DriverStatus}}' 2>/dev/null || true)
  case "$driver" in
    *io.containerd.snapshotter.v1*) ;;
    *) die "the engine at $DOCKER_HOST_NEXT does not use the containerd image store (driver status: $driver)" ;;
  esac
  say "engine $(DOCKER_HOST=$DOCKER_HOST_NEXT docker version --format '{{.Server.Version}}') is up on $DOCKER_HOST_NEXT"
  echo "$DOCKER_HOST_NEXT"
}

stop() {
  local pid i
  exec 9>"/run/$NAME.lock"
  flock -w 300 9 || die "another engine-next.sh holds /run/$NAME.lock"
  pid=$(pid_of "$RUN/dockerd.pid" usr/sbin/dockerd)
  if [ -n "$pid" ]; then
    say "stopping dockerd ($pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 60; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
  fi
  pid=$(pid_of "$RUN/containerd.pid" usr/bin/containerd)
  if [ -n "$pid" ]; then
    say "stopping containerd ($pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 40; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.25; done
    rm -f "$RUN/containerd.pid"
  fi
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    say "removing bridge $BRIDGE"
    ip link del "$BRIDGE"
  fi
}

case "${1:-start}" in
  start) start ;;
  host) echo "$DOCKER_HOST_NEXT" ;;
  load)
    shift
    host=$(start)
    need_tool jq jq
    # the config digest of an image in the containerd store is read through its containerd
    IMAGE_COPY_CTR="$(cached_root)/usr/bin/ctr" IMAGE_COPY_CONTAINERD=$CTRD_SOCK \
      "$HERE/image-copy.sh" --to "$host" "$@"
    ;;
  stop) stop ;;
  -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0" ;;
  *) die "unknown command '$1' (start, load IMAGE..., host, stop)" ;;
esac
