#!/usr/bin/env bash
# Rootful Podman (Debian 12's podman package) as a Docker-compatible engine, for trying minify
# against it: `podman system service` on a socket of its own, with a configuration, image
# store and network of its own.
#
# Usage: scripts/podman.sh [start]          make it answer; print its DOCKER_HOST
#        scripts/podman.sh load IMAGE...    start it, then copy IMAGEs onto it from the Docker
#                                           engine on /var/run/docker.sock (docker save | podman load;
#                                           no registry is involved)
#        scripts/podman.sh host             print its DOCKER_HOST (nothing started)
#        scripts/podman.sh podman ARGS...   run the podman client against this service
#        scripts/podman.sh stop             stop its running containers and the service; remove
#                                           its bridge and portmap's then empty nat chains
#
# `start` prints exactly one line on stdout, the DOCKER_HOST to use
# (unix:///run/minify-podman/podman.sock); everything else goes to stderr and to
# /var/log/minify-podman.log (the service's own log goes there too). Quick when it answers.
#
# What it sets up, as root on Debian 12 (no systemd needed):
#  - apt-get install --no-install-recommends podman (and iptables, for the port mappings of
#    its CNI plugins) when podman is missing; runc is the runtime (crun is not needed).
#  - its own configuration directory, /var/lib/minify-podman/etc, selected with CONTAINERS_CONF,
#    CONTAINERS_STORAGE_CONF and CONTAINERS_REGISTRIES_CONF (the host's /etc/containers is not
#    read): an image store in /var/lib/minify-podman/storage (run state in /run/minify-podman),
#    no registry to search for short names, cgroupfs, file events, k8s-file logs.
#  - rlimits: rootful Podman gives every container nofile and nproc of 1048576 (or its
#    containers.conf default_ulimits) and the runtime must raise the hard limits to that,
#    which needs CAP_SYS_RESOURCE; where this runs, the capability bounding set lacks it, so
#    every container would fail to start ("error setting rlimits for ready process: error
#    setting rlimit type 6: operation not permitted"). default_ulimits is set to the hard
#    limits the service runs with: the script's nofile, and its nproc lowered to
#    kernel.pid_max (the service lowers its own nproc to that at start); raising a soft limit
#    up to the hard one needs no capability.
#  - networking that never touches the Docker engine's: the default network of the compat API
#    ("bridge") is a CNI network of its own (minify-podman: bridge mfy-podman0, 10.215.37.0/24,
#    host-local leases in /run/minify-podman/cni) from a network config directory of its own
#    (the host's /etc/cni/net.d and its cni-podman0 are not used). Its plugins are bridge
#    (no masquerade and no FORWARD rule: containers reach only the host) and portmap (DNAT of the published
#    ports, 127.0.0.1 included); no firewall plugin, so nothing is added to the filter table
#    (FORWARD and Docker's chains stay as they are); portmap's rules live in the nat table in
#    chains of its own (CNI-HOSTPORT-*, CNI-DN-*). Use the podman client only through this
#    script (`scripts/podman.sh podman ...`): a bare `podman` as root would use the host's
#    /etc/cni/net.d (cni-podman0 with the firewall plugin, which inserts into FORWARD).
#
# Environment: MINIFY_PODMAN_SUBNET (default 10.215.37.0/24), MINIFY_ENGINE_WAIT (seconds to
# wait for the service, default 60).
set -euo pipefail

NAME=minify-podman
RUN=/run/$NAME
SOCK=$RUN/podman.sock
PODMAN_HOST=unix://$SOCK
DATA=/var/lib/$NAME
ETC=$DATA/etc
LOG=/var/log/$NAME.log
NETWORK=$NAME
BRIDGE=mfy-podman0
SUBNET=${MINIFY_PODMAN_SUBNET:-10.215.37.0/24}
WAIT_SECONDS=${MINIFY_ENGINE_WAIT:-60}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$PATH:/usr/sbin:/sbin"
export CONTAINERS_CONF=$ETC/containers.conf CONTAINERS_STORAGE_CONF=$ETC/storage.conf \
  CONTAINERS_REGISTRIES_CONF=$ETC/registries.conf

say() { echo "podman: $*" >&2; echo "$(date -u +%FT%TZ) podman.sh: $*" >>"$LOG" 2>/dev/null || true; }
die() { say "ERROR: $*"; exit 1; }

answers() { [ -S "$SOCK" ] && [ "$(curl -s -m 5 --unix-socket "$SOCK" http://d/_ping 2>/dev/null)" = OK ]; }

# the podman client, talking to this service (not to a local store)
pm() { podman --remote --url "$PODMAN_HOST" "$@"; }

# the pid in the pid file when that process is our podman service, else ""
service_pid() {
  local pid
  pid=$(cat "$RUN/service.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 0
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/bin/podman ] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "system service .*$PODMAN_HOST" && echo "$pid"
  return 0
}

need_packages() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ -x /usr/lib/cni/portmap ] || missing+=(containernetworking-plugins)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]} (apt-get install ${missing[*]})"
  say "installing ${missing[*]}"
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >>"$LOG" 2>&1 \
    || die "apt-get install ${missing[*]} failed (see $LOG)"
}

write_configs() {
  mkdir -p "$ETC/cni" "$DATA/storage" "$RUN"
  chmod 0711 "$RUN" "$DATA"
  local nofile nproc runtime
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  [ "$nproc" = unlimited ] && nproc=4194304
  # the service lowers its own nproc to kernel.pid_max when that is below (containers/common's
  # default limits): the container may not ask for more than that either
  local pid_max
  pid_max=$(cat /proc/sys/kernel/pid_max)
  [ "$pid_max" -lt "$nproc" ] && nproc=$pid_max
  runtime=runc
  command -v runc >/dev/null 2>&1 || runtime=crun
  cat >"$ETC/containers.conf" <<EOF
# containers.conf of $NAME (scripts/podman.sh); selected with CONTAINERS_CONF
[containers]
# rootful podman would raise nofile/nproc to 1048576, which needs CAP_SYS_RESOURCE:
# the hard limits the service runs with instead (soft = hard)
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
log_driver = "k8s-file"
netns = "bridge"

[network]
network_backend = "cni"
cni_plugin_dirs = ["/usr/lib/cni"]
network_config_dir = "$ETC/cni"
default_network = "$NETWORK"
default_subnet = "$SUBNET"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$RUN/events.log"
tmp_dir = "$RUN/libpod"
runtime = "$runtime"
# never pull: a create of an image the store lacks fails
pull_policy = "never"
EOF
  cat >"$ETC/storage.conf" <<EOF
# storage.conf of $NAME (scripts/podman.sh); selected with CONTAINERS_STORAGE_CONF
[storage]
driver = "overlay"
graphroot = "$DATA/storage"
runroot = "$RUN/storage"
EOF
  cat >"$ETC/registries.conf" <<EOF
# registries.conf of $NAME (scripts/podman.sh): no registry to search short names in
unqualified-search-registries = []
short-name-mode = "disabled"
EOF
  local gw=${SUBNET%.*}.1
  cat >"$ETC/cni/$NETWORK.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "$NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$RUN/cni",
        "ranges": [[{ "subnet": "$SUBNET", "gateway": "$gw" }]]
      }
    },
    {
      "type": "portmap",
      "capabilities": { "portMappings": true },
      "snat": true
    }
  ]
}
EOF
}

check_subnet() {
  # the subnet must be free: no route of the host may cover it unless it is our bridge's
  local net=${SUBNET%.*}.
  if ip -4 route show | grep -v " dev $BRIDGE " | awk '{print $1}' | grep -q "^${net//./\\.}"; then
    die "$SUBNET overlaps a route of this host; set MINIFY_PODMAN_SUBNET"
  fi
}

start() {
  if answers; then echo "$PODMAN_HOST"; return 0; fi
  [ "$(id -u)" -eq 0 ] || die "podman at $PODMAN_HOST does not answer and starting it needs root"
  mkdir -p "$RUN" "$(dirname "$LOG")"
  exec 9>"/run/$NAME.lock"
  flock 9
  if answers; then echo "$PODMAN_HOST"; return 0; fi
  need_packages
  check_subnet
  write_configs
  local pid i
  pid=$(service_pid)
  if [ -z "$pid" ]; then
    rm -f "$SOCK"
    say "starting $(podman --version) service on $PODMAN_HOST (log: $LOG)"
    # 9>&-: the service must not inherit (and so hold for ever) the lock of this script
    setsid nohup podman --log-level=info system service --time=0 "$PODMAN_HOST" >>"$LOG" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$RUN/service.pid"
    disown || true
  fi
  for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
    answers && break
    [ -d "/proc/$pid" ] || { tail -n 20 "$LOG" >&2; die "the podman service exited; see $LOG"; }
    sleep 0.25
  done
  answers || { tail -n 20 "$LOG" >&2; die "podman did not answer on $PODMAN_HOST within ${WAIT_SECONDS}s; see $LOG"; }
  say "podman $(pm version --format '{{.Server.Version}}' 2>/dev/null) answers on $PODMAN_HOST"
  echo "$PODMAN_HOST"
}

stop() {
  exec 9>"/run/$NAME.lock"
  flock 9
  local pid i running
  if answers; then
    # the store is this script's own: every container in it was made through this service
    running=$(pm ps -q 2>/dev/null || true)
    if [ -n "$running" ]; then
      say "stopping its running containers: $(echo $running)"
      # shellcheck disable=SC2086
      pm stop -t 5 $running >>"$LOG" 2>&1 || true
    fi
  fi
  pid=$(service_pid)
  if [ -n "$pid" ]; then
    say "stopping the podman service ($pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 60; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.25; done
    [ -d "/proc/$pid" ] && { say "the service did not end on SIGTERM; SIGKILL"; kill -KILL "$pid" || true; }
  fi
  rm -f "$RUN/service.pid" "$SOCK"
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    say "removing bridge $BRIDGE"
    ip link del "$BRIDGE" || true
  fi
  drop_portmap_chains
}

# portmap's own nat chains (CNI-HOSTPORT-*) and the jumps to them stay after the last container;
# they go once no port mapping of any CNI network is left in them (nothing else is touched)
drop_portmap_chains() {
  command -v iptables >/dev/null 2>&1 || return 0
  iptables -t nat -S CNI-HOSTPORT-DNAT >/dev/null 2>&1 || return 0
  if iptables -t nat -S CNI-HOSTPORT-DNAT | grep -q '^-A '; then
    say "CNI-HOSTPORT-DNAT still maps ports; leaving portmap's nat chains"
    return 0
  fi
  say "removing portmap's empty nat chains (CNI-HOSTPORT-*)"
  local rule
  while read -r rule; do
    # shellcheck disable=SC2086
    eval "iptables -t nat ${rule/-A /-D }" || true
  done < <(iptables -t nat -S | grep -E '^-A (PREROUTING|OUTPUT|POSTROUTING) .*-j CNI-HOSTPORT-(DNAT|MASQ|SETMARK)$')
  local chain
  for chain in CNI-HOSTPORT-DNAT CNI-HOSTPORT-MASQ CNI-HOSTPORT-SETMARK; do
    iptables -t nat -F "$chain" 2>/dev/null && iptables -t nat -X "$chain" 2>/dev/null || true
  done
}

case "${1:-start}" in
  start) start ;;
  host) echo "$PODMAN_HOST" ;;
  podman) shift; pm "$@" ;;
  load)
    shift
    start >/dev/null
    for image in "$@"; do
      id=$(docker --host unix:///var/run/docker.sock image inspect --format '{{.Id}}' "$image") \
        || die "the Docker engine has no image $image"
      if [ "$(pm image inspect --format '{{.ID}}' "$image" 2>/dev/null)" = "${id#sha256:}" ]; then
        say "$image is already there"; continue
      fi
      say "copying $image (${id:7:12}) from /var/run/docker.sock"
      docker --host unix:///var/run/docker.sock save "$image" | pm load >>"$LOG" 2>&1 \
        || die "docker save $image | podman load failed (see $LOG)"
    done
    ;;
  stop) stop ;;
  -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0" ;;
  *) die "unknown command '$1' (start, load IMAGE..., host, podman ARGS..., stop)" ;;
esac
