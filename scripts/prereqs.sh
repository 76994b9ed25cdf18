#!/usr/bin/env bash
# Installs the host tools minify's build needs when they are missing (Debian 12, as root):
# a JDK and Maven to build it, gcc for the static start gate, npm for the Node sample,
# skopeo for the tests that read the OCI layout back with a third-party tool, chromium for
# the test that opens the HTML report in a real headless browser, curl for the test suites
# HostExecIT runs on the host as --host-exec commands.
# Quick when everything is there.
set -euo pipefail
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || need+=(libc6-dev)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "prereqs: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The kernel's tracing filesystem, through which --seccomp-profile records the app's syscalls
# (SeccompProfileIT): systemd hosts mount it at boot, a bare VM or a minimal CI runner may not.
if [ ! -e /sys/kernel/tracing/trace_pipe ] && [ -d /sys/kernel/tracing ]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null \
    || echo "prereqs: cannot mount tracefs at /sys/kernel/tracing: --seccomp-profile will refuse to run" >&2
fi
