#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine as root or on one already set up:
# makes sure a JDK, Maven and a Docker engine are there, builds the local base and sample
# images (no registry is needed), then runs unit and integration tests.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

scripts/prereqs.sh

# the Java sample app's jar comes from this reactor, so build once before the images
mvn -B -q -DskipTests -DskipITs install
scripts/build-samples.sh
mvn -B verify "$@"
