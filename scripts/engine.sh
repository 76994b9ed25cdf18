#!/usr/bin/env bash
# Makes a Docker engine answer on this machine.
#
#  - If `docker info` already works: exits 0 at once.
#  - Otherwise (fresh Debian 12, root, no systemd): installs docker.io if dockerd is
#    missing, starts dockerd in the background (log: /var/log/minify-dockerd.log) and
#    waits up to 60 s for the socket and `docker info`.
#  - Also installs debootstrap when missing (scripts/base-images.sh needs it).
#
# Idempotent. Exit code non-zero with a message on stderr when no engine could be had.
set -euo pipefail

LOG=/var/log/minify-dockerd.log
SOCK=/var/run/docker.sock
WAIT_SECONDS=${MINIFY_ENGINE_WAIT:-60}

say() { echo "engine: $*" >&2; }
die() { echo "engine: ERROR: $*" >&2; exit 1; }

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
  [ "$(id -u)" -eq 0 ] || die "need root to install $*"
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    apt_updated=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed"
}

engine_up() { timeout 10 docker info >/dev/null 2>&1; }

# debootstrap is needed by base-images.sh whatever the engine's state.
if ! command -v debootstrap >/dev/null 2>&1 && [ ! -x /usr/sbin/debootstrap ]; then
  apt_install debootstrap
fi

if command -v docker >/dev/null 2>&1 && engine_up; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
  apt_install docker.io
fi
export PATH="$PATH:/usr/sbin:/sbin"
command -v docker >/dev/null 2>&1 || die "docker client missing after installing docker.io"

# Someone may have started dockerd already (e.g. still coming up): only start one if none runs.
# Only a dockerd started as this script starts it counts (`pgrep -xf`: the whole command line):
# the suite's other engines (scripts/engine-next.sh, docker-in-docker) serve other sockets.
if ! pgrep -xf dockerd >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "dockerd is not running and starting it needs root"
  # containerd: docker.io's dockerd starts its own managed containerd when none is running.
  say "starting dockerd (log: $LOG)"
  nohup dockerd >>"$LOG" 2>&1 </dev/null &
  disown || true
fi

for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  if [ -S "$SOCK" ] && engine_up; then
    say "docker engine is up"
    exit 0
  fi
  if ! pgrep -xf dockerd >/dev/null 2>&1 && [ "$i" -gt 4 ]; then
    tail -n 20 "$LOG" >&2 2>/dev/null || true
    die "dockerd exited; see $LOG"
  fi
  sleep 0.5
done
tail -n 20 "$LOG" >&2 2>/dev/null || true
die "docker engine did not answer within ${WAIT_SECONDS}s (DOCKER_HOST=${DOCKER_HOST:-unset}); see $LOG"
