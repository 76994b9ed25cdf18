#!/usr/bin/env bash
# Starts a Docker-in-Docker engine the way a GitLab CI job gets one from its dind service
# (plain TCP, no TLS), from the local image minify-dind:bookworm (scripts/dind-image.sh
# builds it when missing), without --privileged.
#
#   dind.sh start       start it (or find it running), wait until it answers, print its
#                       DOCKER_HOST on stdout:  export DOCKER_HOST=$(scripts/dind.sh start)
#   dind.sh host        print its DOCKER_HOST if it answers (exit 1 otherwise)
#   dind.sh load IMAGE...  copy local images of the host engine into it (docker save | load)
#   dind.sh stop        remove the container and its data volume
#
# Everything is reached through the host's 127.0.0.1 only:
#   127.0.0.1:$MINIFY_DIND_PORT (23750)            -> the engine's 2375
#   127.0.0.1:$MINIFY_DIND_APP_PORTS (28080-28083) -> the same ports of the dind container:
#       publish an app inside on one of them (docker run -p 0.0.0.0:28080:8000 ...) and
#       reach it from the host at 127.0.0.1:28080
# The container is minify-dind-<engine port> (MINIFY_DIND_NAME overrides), its engine's data
# root the volume <name>-data. The inner engine has its own data root, no iptables rules
# (--iptables=false --ip6tables=false --ip-masq=false: ports are published by docker-proxy)
# and never touches the host's network; its containers may use --pid=host (the dind
# container's pid namespace), SYS_ADMIN and SYS_PTRACE, enough for fanotify.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
IMAGE=minify-dind:bookworm
PORT=${MINIFY_DIND_PORT:-23750}
APP_PORTS=${MINIFY_DIND_APP_PORTS:-28080-28083}
NAME=${MINIFY_DIND_NAME:-minify-dind-$PORT}
VOLUME=$NAME-data
WAIT_SECONDS=${MINIFY_DIND_WAIT:-60}
LABEL=io.minify.dind
DIND_HOST=tcp://127.0.0.1:$PORT
# the host engine runs the dind container, even when the caller already points at the dind
[ "${DOCKER_HOST:-}" != "$DIND_HOST" ] || unset DOCKER_HOST

# What a non-privileged dind needs on this kind of host (found by taking each one away):
#   SYS_ADMIN              mounts (overlay2 layers, the inner containers' /proc, /sys, ...),
#                          the cgroup remount, namespaces
#   NET_ADMIN              the inner engine's bridge and the inner containers' veths
#   SYS_PTRACE             only so inner containers may be given SYS_PTRACE (a container
#                          gets no capability its engine lacks): minify's monitor reads
#                          /proc/PID/root of another container
#   seccomp=unconfined     the default profile refuses keyctl, and runc's session keyring
#                          for every inner container fails ("unable to join session keyring")
#   apparmor=unconfined    on AppArmor hosts docker-default forbids mount (no AppArmor here)
#   --cgroupns private     the inner engine sees its own cgroup as the root (cgroup v1 works
#                          without it too; it is the default on cgroup v2)
#   --tmpfs /run           fresh sockets and pid files on every start
# No CAP_SYS_RESOURCE (this host's bounding set has none): inner containers run as on the
# host engine, which cannot raise a hard rlimit above its own or set a negative
# oom_score_adj either.
RUN_OPTS=(
  --cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add SYS_PTRACE
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined
  --cgroupns private
  --tmpfs /run
)

say() { echo "dind: $*" >&2; }
die() { echo "dind: ERROR: $*" >&2; exit 1; }

host_engine() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }
dind_up() { DOCKER_HOST=$DIND_HOST timeout 5 docker info >/dev/null 2>&1; }
container_ours() { [ "$(docker container inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$NAME" 2>/dev/null)" = "$NAME" ]; }
volume_ours() { [ "$(docker volume inspect -f "{{index .Labels \"$LABEL\"}}" "$VOLUME" 2>/dev/null)" = "$NAME" ]; }

wait_up() {
  local i
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    dind_up && return 0
    [ "$(docker container inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] || break
    sleep 0.5
  done
  docker logs --tail 20 "$NAME" >&2 2>&1 || true
  die "the engine in $NAME did not answer at $DIND_HOST within ${WAIT_SECONDS}s"
}

start() {
  host_engine || die "no docker engine answers on the host (run scripts/engine.sh)"
  if docker container inspect "$NAME" >/dev/null 2>&1; then
    container_ours || die "a container named $NAME exists that scripts/dind.sh did not start"
    if [ "$(docker container inspect -f '{{.State.Running}}' "$NAME")" != true ]; then
      say "starting $NAME again"
      docker start "$NAME" >/dev/null
    fi
  else
    "$here/dind-image.sh"
    if ! docker volume inspect "$VOLUME" >/dev/null 2>&1; then
      docker volume create --label "$LABEL=$NAME" "$VOLUME" >/dev/null
    fi
    volume_ours || die "a volume named $VOLUME exists that scripts/dind.sh did not create"
    local ports=(-p "127.0.0.1:$PORT:2375")
    [ -z "$APP_PORTS" ] || ports+=(-p "127.0.0.1:$APP_PORTS:$APP_PORTS")
    say "starting $NAME (engine at $DIND_HOST, app ports 127.0.0.1:${APP_PORTS:-none})"
    docker run -d --pull never --name "$NAME" --label "$LABEL=$NAME" \
      "${RUN_OPTS[@]}" -v "$VOLUME:/var/lib/docker" "${ports[@]}" "$IMAGE" >/dev/null
  fi
  wait_up
  say "engine up: export DOCKER_HOST=$DIND_HOST"
  echo "$DIND_HOST"
}

stop() {
  host_engine || die "no docker engine answers on the host"
  if docker container inspect "$NAME" >/dev/null 2>&1; then
    container_ours || die "$NAME was not started by scripts/dind.sh; not removing it"
    say "removing $NAME"
    docker rm -f -v "$NAME" >/dev/null
  fi
  if docker volume inspect "$VOLUME" >/dev/null 2>&1; then
    volume_ours || die "$VOLUME was not created by scripts/dind.sh; not removing it"
    say "removing volume $VOLUME"
    docker volume rm "$VOLUME" >/dev/null
  fi
}

host() {
  dind_up || die "no engine answers at $DIND_HOST (scripts/dind.sh start)"
  echo "$DIND_HOST"
}

load() {
  [ $# -gt 0 ] || die "load needs at least one IMAGE"
  dind_up || die "no engine answers at $DIND_HOST (scripts/dind.sh start)"
  say "loading $* into $NAME"
  docker save "$@" | DOCKER_HOST=$DIND_HOST docker load >&2
}

cmd=${1:-}
[ $# -eq 0 ] || shift
case "$cmd" in
  start) start ;;
  stop) stop ;;
  host) host ;;
  load) load "$@" ;;
  -h|--help|help) sed -n '2,21p' "$0" ;;
  *) die "usage: dind.sh start|stop|host|load IMAGE..." ;;
esac
