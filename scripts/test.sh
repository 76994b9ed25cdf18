#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine as root or on one already set up:
# makes sure a JDK, Maven and a Docker engine are there, builds the local base and sample
# images (no registry is needed), then runs unit and integration tests.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

need_pkgs=()
command -v javac >/dev/null 2>&1 || need_pkgs+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_pkgs+=(maven)
command -v gcc >/dev/null 2>&1 || need_pkgs+=(gcc libc6-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}"
fi

# the Java sample app's jar comes from this reactor, so build once before the images
mvn -B -q -DskipTests -DskipITs install
scripts/build-samples.sh
mvn -B verify "$@"
