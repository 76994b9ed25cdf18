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
#   CI runners    scripts/dind-image.sh (the docker-in-docker engine DindEngineIT starts),
#                 scripts/minify-image.sh (minify:VERSION, SocketMountedIT runs it)
# TestImagesComeFromScriptsTest fails when a test names an image these scripts do not build.
#
# The engine matrix: the whole suite runs against the first engine (scripts/engine.sh,
# Debian 12's docker.io 20.10, classic image store), then a subset of the integration tests
# against a second, newer engine with the containerd image store (scripts/engine-next.sh:
# Debian's newest docker.io that runs here, beside the first). That subset is the failsafe
# execution `engine-next` of cli/pom.xml (reports in cli/target/failsafe-reports-engine-next),
# on when -Dminify.engineNext=DOCKER_HOST is given, as here after the engine was started and
# the images the subset needs were copied onto it from the first engine.
# MINIFY_ENGINE_NEXT=0 leaves the second engine out.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

# The images the engine-next subset (cli/pom.xml) runs or builds FROM.
ENGINE_NEXT_IMAGES=(minify-base:bookworm minify-base:python minify-sample/python-flask:1.0
  minify-sample/redis:1.0 minify-real/nginx:1 minify-real/postgres:1 minify-real/lighttpd:1
  minify-real/httpbin:1)

scripts/prereqs.sh
scripts/engine.sh
scripts/base-images.sh

# the Java sample app's jar comes from this reactor, so build once before the images
mvn -B -q -DskipTests -DskipITs install
scripts/build-samples.sh
scripts/corpus.sh build $(sed -n 's/^CORPUS_APPS_IN_SUITE=//p' scripts/corpus-suite.env)
# CI runners as users have them: DindEngineIT starts a docker-in-docker engine made from
# Debian packages (scripts/dind.sh), SocketMountedIT runs minify from its own image with the
# socket mounted (it remakes minify:VERSION from the jar `mvn verify` packages, on this base)
scripts/dind-image.sh
scripts/minify-image.sh

matrix=()
if [ "${MINIFY_ENGINE_NEXT:-1}" != 0 ]; then
  next_host=$(scripts/engine-next.sh)
  scripts/engine-next.sh load "${ENGINE_NEXT_IMAGES[@]}"
  matrix=("-Dminify.engineNext=$next_host")
fi
mvn -B verify ${matrix[@]+"${matrix[@]}"} "$@"
