#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine as root or on one already set up:
# makes sure a JDK, Maven and a Docker engine are there, builds the local base and sample
# images (no registry is needed), then runs unit and integration tests.
#
# Everything a test needs comes from here, never from what an earlier run left behind:
#   host tools    scripts/prereqs.sh (JDK, Maven, gcc + static libc, npm, python3, skopeo)
#   engine        scripts/engine.sh (docker.io, dockerd, debootstrap)
#   base images   scripts/base-images.sh, ALL of them: the samples start FROM most, and the
#                 integration tests build their own small images FROM minify-base:bookworm
#                 and minify-base:python
#   sample images scripts/build-samples.sh (all of them)
#   corpus images scripts/corpus.sh build, for the real apps CorpusAppsIT minifies and checks
# TestImagesComeFromScriptsTest fails when a test names an image these scripts do not build.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

scripts/prereqs.sh
scripts/engine.sh
scripts/base-images.sh

# the Java sample app's jar comes from this reactor, so build once before the images
mvn -B -q -DskipTests -DskipITs install
scripts/build-samples.sh
scripts/corpus.sh build $(sed -n 's/^CORPUS_APPS_IN_SUITE=//p' scripts/corpus-suite.env)
mvn -B verify "$@"
