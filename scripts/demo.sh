#!/usr/bin/env bash
# The main job: set up the engine if needed, build minify, minify a sample app and print
# the image before and after.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
app=${1:-python-flask}

scripts/prereqs.sh
mvn -B -q -DskipTests -DskipITs install
scripts/build-samples.sh "$app"

./minify build "minify-sample/$app:1.0"
echo
docker image ls --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' \
  | grep -E "^(REPOSITORY|minify-sample/$app(\.slim)?:1\.0)"
