#!/usr/bin/env bash
# Builds the image minify:VERSION (default VERSION: the project version in the root pom.xml)
# from Debian packages, nothing pulled, so a CI job can run minify from an image:
#
#   docker run --rm -v /var/run/docker.sock:/var/run/docker.sock --network host \
#     minify:VERSION build --http-probe app:ci
#
# Two layers:
#   minify-jre:bookworm  debootstrap --variant=minbase + openjdk-17-jre-headless
#                        (--no-install-recommends), made by scripts/base-images.sh --tag;
#                        shared by every version.
#   minify:VERSION       + the distribution of cli/target (minify.jar and its launcher
#                        minify) in /opt/minify; ENTRYPOINT the launcher (it sets the JVM's
#                        memory bounds; MINIFY_JAVA_OPTS still works), WORKDIR /work (mount
#                        the job's directory there to keep minify-report.json).
#
# cli/target/minify.jar is built with `mvn -B -q -DskipTests package` when it is missing
# (MINIFY_MVN_ARGS replaces those arguments); an existing one is used as it is.
# Each image is skipped when it exists from the same inputs (label io.minify.image.recipe:
# the package list and config, and for minify:VERSION the jar's and launcher's hashes).
#
# Usage: minify-image.sh [--force] [VERSION]
# Needs root (debootstrap, chroot) when minify-jre:bookworm must be built, and an engine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(dirname "$here")
CACHE=${MINIFY_CACHE:-/var/cache/minify}
JRE_TAG=minify-jre:bookworm
JRE_PACKAGES="openjdk-17-jre-headless"
RECIPE_LABEL=io.minify.image.recipe
DIST="$root_dir/cli/target"

say() { echo "minify-image: $*" >&2; }
die() { echo "minify-image: ERROR: $*" >&2; exit 1; }

force=0 version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) die "unknown option '$1' (usage: minify-image.sh [--force] [VERSION])" ;;
    *) [ -z "$version" ] || die "one VERSION only"; version=$1 ;;
  esac
  shift
done
if [ -z "$version" ]; then
  # the root pom's own <version> (it has no <parent>; skip one if it ever gets one)
  version=$(awk '/<parent>/ { p = 1 } /<\/parent>/ { p = 0; next }
                 !p && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' \
              "$root_dir/pom.xml")
  [ -n "$version" ] || die "no <version> in $root_dir/pom.xml"
fi
[[ "$version" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "'$version' is not a valid image tag"
TAG="minify:$version"

command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1 \
  || die "no docker engine answers (run scripts/engine.sh)"

label_of() { docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true; }

# Work dir and the temporary container, undone on every exit path.
WORK="" CID=""
cleanup() {
  [ -z "$CID" ] || docker rm -f "$CID" >/dev/null 2>&1 || true
  CID=""
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then rm -rf --one-file-system "$WORK"; fi
  WORK=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the distribution --------------------------------------------------------------------
if [ ! -f "$DIST/minify.jar" ] || [ ! -f "$DIST/minify" ]; then
  command -v mvn >/dev/null 2>&1 || die "$DIST/minify.jar is missing and mvn is not installed (scripts/prereqs.sh)"
  read -r -a mvn_args <<<"${MINIFY_MVN_ARGS:--B -q -DskipTests package}"
  say "building $DIST/minify.jar: mvn ${mvn_args[*]}"
  (cd "$root_dir" && mvn "${mvn_args[@]}") || die "the maven build failed"
  [ -f "$DIST/minify.jar" ] && [ -f "$DIST/minify" ] || die "the build made no $DIST/minify.jar and minify"
fi
start=$(date +%s)
# a copy: another build may rewrite cli/target while this one runs
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/work.XXXXXX")
mkdir -p "$WORK/dist/opt/minify" "$WORK/dist/work"
cp "$DIST/minify.jar" "$DIST/minify" "$WORK/dist/opt/minify/"
chmod 644 "$WORK/dist/opt/minify/minify.jar"
chmod 755 "$WORK/dist/opt/minify/minify" "$WORK/dist/opt/minify" "$WORK/dist/work"

# the JRE base: a minbase with Debian's headless JRE, made by scripts/base-images.sh like
# every other base image (its minbase tarball, .deb cache and apt lock; skipped when current)
if [ "$force" -eq 1 ]; then
  "$here/base-images.sh" --force --tag "$JRE_TAG" --packages "$JRE_PACKAGES"
else
  "$here/base-images.sh" --tag "$JRE_TAG" --packages "$JRE_PACKAGES"
fi

# --- minify:VERSION ----------------------------------------------------------------------
CHANGES=(
  'ENTRYPOINT ["/opt/minify/minify"]'
  'CMD ["--help"]'
  'WORKDIR /work'
  "LABEL io.minify.version=\"$version\" org.opencontainers.image.title=\"minify\" org.opencontainers.image.version=\"$version\""
)
jre_id=$(docker image inspect -f '{{.Id}}' "$JRE_TAG")
recipe=$( { sha256sum "$WORK/dist/opt/minify/minify.jar" "$WORK/dist/opt/minify/minify" | cut -d' ' -f1
            printf '%s\n' "$jre_id" "${CHANGES[@]}"; } | sha256sum | cut -c1-16)
if [ "$force" -eq 0 ] && [ "$(label_of "$TAG")" = "$recipe" ]; then
  say "$TAG exists from this jar, skipped"
  exit 0
fi

say "adding cli/target/minify.jar and its launcher to $JRE_TAG"
CID=$(docker create --pull never "$JRE_TAG" true)
tar -C "$WORK/dist" --owner=0 --group=0 --numeric-owner -c opt/minify work | docker cp - "$CID:/"
commit_args=()
for c in "${CHANGES[@]}"; do commit_args+=(--change "$c"); done
docker commit "${commit_args[@]}" --change "LABEL $RECIPE_LABEL=\"$recipe\"" \
  -m "minify $version (scripts/minify-image.sh)" "$CID" "$TAG" >/dev/null
docker rm -f "$CID" >/dev/null
CID=""

# smoke test: the launcher starts the jar
got=$(docker run --rm --pull never --network none "$TAG" --version 2>&1) \
  || { docker rmi "$TAG" >/dev/null 2>&1 || true; die "$TAG does not start: $got"; }
case "$got" in
  "minify $version") ;;
  *) say "note: the jar says '$got', the tag is $version" ;;
esac
say "$TAG: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}')," \
  "built in $(( $(date +%s) - start )) s ($got)"
