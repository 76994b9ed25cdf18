#!/usr/bin/env bash
# Builds the image minify:VERSION (default VERSION: the project version in the root pom.xml)
# from Debian packages, nothing pulled, so a CI job can run minify from an image:
#
#   docker run --rm -v /var/run/docker.sock:/var/run/docker.sock --network host \
#     minify:VERSION build --http-probe app:ci
#
# Two layers:
#   minify-jre:bookworm  debootstrap --variant=minbase + openjdk-17-jre-headless
#                        (--no-install-recommends), without documentation, man pages and
#                        translations (the copyright files stay), like Debian's slim images;
#                        shared by every version. It reuses the minbase tarball and the .debs
#                        scripts/base-images.sh caches under $MINIFY_CACHE (/var/cache/minify).
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
SUITE=bookworm
MINBASE_TAR="$CACHE/$SUITE-minbase.tar"
DEBS="$CACHE/debs"
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

# Work dir, mounts and the temporary container, undone on every exit path.
WORK="" CID=""
MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    mountpoint -q "${MOUNTS[$i]}" && { umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}"; }
  done
  MOUNTS=()
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

JRE_CHANGES=(
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV LANG=C.UTF-8'
  'CMD ["bash"]'
)
# what Debian's slim images leave out; the copyright files stay
read -r -d '' DPKG_SLIM <<'EOF' || true
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
EOF
jre_recipe=$(printf '%s\n' "$JRE_PACKAGES" "$DPKG_SLIM" "${JRE_CHANGES[@]}" | sha256sum | cut -c1-16)

ensure_minbase_tar() {
  [ -s "$MINBASE_TAR" ] && return 0
  # scripts/base-images.sh makes it whenever it builds an image; make it the same way here
  PATH="$PATH:/usr/sbin:/sbin"
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing (run scripts/engine.sh)"
  mkdir -p "$DEBS" "$WORK/minbase"
  say "debootstrap --variant=minbase $SUITE (a few minutes the first time)"
  debootstrap --variant=minbase --cache-dir="$DEBS" "$SUITE" "$WORK/minbase" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 30 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  scrub_rootfs "$WORK/minbase"
  tar -C "$WORK/minbase" --numeric-owner --xattrs -cf "$MINBASE_TAR.part.$$" .
  mv "$MINBASE_TAR.part.$$" "$MINBASE_TAR"
  rm -rf --one-file-system "$WORK/minbase"
}

# as scripts/base-images.sh: no apt lists and caches, host resolver or logs in an image
scrub_rootfs() {
  local dir=$1
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
         "$dir"/var/cache/apt/archives/partial/* "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old \
         "$dir"/tmp/* "$dir"/var/tmp/* "$dir"/root/.cache
  find "$dir"/var/log -type f -exec truncate -s 0 {} + 2>/dev/null || true
  : >"$dir/etc/resolv.conf" 2>/dev/null || true
  echo minify >"$dir/etc/hostname"
}

build_jre() {
  [ "$(id -u)" -eq 0 ] || die "building $JRE_TAG needs root"
  ensure_minbase_tar
  local root="$WORK/root" m
  mkdir "$root"
  tar -C "$root" --numeric-owner --xattrs -xf "$MINBASE_TAR"
  printf '%s\n' "$DPKG_SLIM" >"$root/etc/dpkg/dpkg.cfg.d/minify-slim"
  # the minbase's own documentation, installed before the exclusions
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  # openjdk's postinst registers man pages as alternatives' slaves: their directory must exist
  mkdir -p "$root/usr/share/man/man1"
  mkdir -p "$DEBS/partial"
  for m in proc dev var/cache/apt/archives; do
    case "$m" in
      proc) mount -t proc proc "$root/proc" ;;
      dev) mount --bind /dev "$root/dev" ;;
      *) mount --bind "$DEBS" "$root/$m" ;;
    esac
    MOUNTS+=("$root/$m")
  done
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  local log="$CACHE/apt-minify-jre.log"
  say "installing into $JRE_TAG: $JRE_PACKAGES (--no-install-recommends)"
  # the .deb cache is shared with scripts/base-images.sh: one apt-get at a time
  exec 9>"$CACHE/apt.lock"
  flock 9
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
    sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $JRE_PACKAGES" >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "apt-get install failed (log: $log)"; }
  flock -u 9
  exec 9>&-
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin java -version >>"$log" 2>&1 \
    || die "java does not run in the new rootfs (log: $log)"
  rm -f "$root/usr/sbin/policy-rc.d"
  for ((m = ${#MOUNTS[@]} - 1; m >= 0; m--)); do umount "${MOUNTS[$m]}" 2>/dev/null || umount -l "${MOUNTS[$m]}"; done
  MOUNTS=()
  rm -rf "$root"/usr/share/man/*
  scrub_rootfs "$root"
  local changes=()
  for m in "${JRE_CHANGES[@]}"; do changes+=(--change "$m"); done
  say "importing $JRE_TAG"
  tar -C "$root" --numeric-owner --xattrs -c . \
    | docker import "${changes[@]}" --change "LABEL $RECIPE_LABEL=\"$jre_recipe\" io.minify.base.packages=\"$JRE_PACKAGES\"" - "$JRE_TAG" >/dev/null
  rm -rf --one-file-system "$root"
  say "$JRE_TAG: $(docker image inspect -f '{{.Size}}' "$JRE_TAG" | awk '{printf "%.0f MB", $1/1e6}')"
}

if [ "$force" -eq 1 ] || [ "$(label_of "$JRE_TAG")" != "$jre_recipe" ]; then
  build_jre
else
  say "$JRE_TAG exists, reused"
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
