#!/usr/bin/env bash
# Regenerates the syscall number tables minify ships
# (probe-agent/src/main/resources/io/minify/sensor/syscall/*.tbl), one "NUMBER NAME" a line,
# from the kernel's UAPI headers (Debian's linux-libc-dev): every __NR_ macro the header
# defines, evaluated by the C compiler, so no name or number is typed by hand.
#
#   x86_64.tbl   <asm/unistd_64.h>, plus the x32 entries of <asm/unistd_x32.h> (their
#                numbers carry __X32_SYSCALL_BIT, as the raw_syscalls tracepoint reports them)
#   aarch64.tbl  arm64's own generated <asm/unistd_64.h> where the headers have it (Debian
#                sid's linux-libc-dev ships every architecture's asm/ directory), else
#                <asm-generic/unistd.h> with the __ARCH_WANT_* switches arm64's older
#                <asm/unistd.h> set (Debian 12's headers, which have the host's asm/ only)
#
# The tables should name every syscall of the kernels minify runs on: headers older than the
# host's kernel leave its newer syscalls (fchmodat2, mseal, listmount, ...) unnamed, and an app
# that makes one fails its build. The kernel of the headers is written into each table's first
# line; SeccompProfileIT checks the table against the running kernel's tracepoint names.
#
# Usage: scripts/syscall-tables.sh                  the host's /usr/include (linux-libc-dev)
#        scripts/syscall-tables.sh --headers DIR    an include directory laid out as /usr/include
#                                                   (e.g. usr/include of a `dpkg -x`ed linux-libc-dev)
#        scripts/syscall-tables.sh --debian SUITE   SUITE's linux-libc-dev (e.g. sid, trixie), fetched
#                                                   with `apt-get download` and an apt state of its own
#                                                   (/var/cache/minify/syscall-tables/apt: the host's
#                                                   apt configuration and lists are never changed),
#                                                   from the mirror of the host's own Debian sources
#                                                   (or MINIFY_DEBIAN_MIRROR); needs root for the cache
# Needs gcc (and the host's libc headers, for stdio.h).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=probe-agent/src/main/resources/io/minify/sensor/syscall
scratch=$(mktemp -d "${TMPDIR:-/tmp}/minify-syscalls-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
multiarch=$(gcc -print-multiarch)
die() { echo "syscall-tables: $*" >&2; exit 2; }

# fetch_debian SUITE: unpacks SUITE's linux-libc-dev into $scratch/deb; prints its usr/include
fetch_debian() {
  local suite=$1 mirror apt=/var/cache/minify/syscall-tables/apt
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$keyring" ] || die "$keyring missing (apt-get install debian-archive-keyring)"
  # the host's Debian mirror: the URI its sources give the release itself (not -updates, -security)
  mirror=${MINIFY_DEBIAN_MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null \
    | awk '$2 ~ /^[a-z]+$/ { print $1; exit }')}
  [ -n "$mirror" ] || die "no Debian entry in the host's apt sources to take the mirror from; set MINIFY_DEBIAN_MIRROR"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$apt/preferences.d"
  : >"$apt/preferences"
  echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=$apt/sources.list.d"
    -o "Dir::Etc::preferences=$apt/preferences" -o "Dir::Etc::preferencesparts=$apt/preferences.d"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
  echo "syscall-tables: apt-get update of $suite (own apt state in $apt)" >&2
  apt-get "${opts[@]}" -qq update >&2 || die "apt-get update of $suite failed"
  mkdir -p "$scratch/debs"
  (cd "$scratch/debs" && apt-get "${opts[@]}" -qq download "linux-libc-dev/$suite") >&2 \
    || die "apt-get download of $suite's linux-libc-dev failed"
  dpkg -x "$scratch"/debs/linux-libc-dev_*.deb "$scratch/deb"
  echo "syscall-tables: $(basename "$scratch"/debs/linux-libc-dev_*.deb)" >&2
  echo "$scratch/deb/usr/include"
}

headers=/usr/include
case "${1:-}" in
  "") ;;
  --headers) [ -d "${2:-}" ] || die "--headers needs a directory"; headers=$(readlink -f "$2") ;;
  --debian) [ -n "${2:-}" ] || die "--debian needs a suite (sid, trixie, ...)"; headers=$(fetch_debian "$2") ;;
  -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  *) die "unknown option '$1' (--headers DIR, --debian SUITE)" ;;
esac
[ -f "$headers/linux/version.h" ] || die "$headers has no linux/version.h: not a UAPI include directory"
[ -f "$headers/$multiarch/asm/unistd_64.h" ] || [ "$headers" = /usr/include ] \
  || die "$headers has no $multiarch/asm/unistd_64.h"
# the kernel the headers are of, for the tables' first lines (never a path of this machine)
kernel=$(printf '#include <linux/version.h>\nLINUX_VERSION_CODE\n' \
  | gcc -E -P -nostdinc -I"$headers" - | awk 'NF { c = $1 } END { printf "%d.%d", c / 65536, (c / 256) % 256 }')

# table INCLUDE_DIR PRELUDE: prints "NUMBER NAME" for every __NR_ macro the prelude's headers define
table() {
  local arch_dir=$1 prelude=$2
  printf '%s\n' "$prelude" > "$scratch/prelude.h"
  # the macro names only; markers that are not syscalls are left out
  gcc -E -dM -isystem "$arch_dir" -isystem "$headers" "$scratch/prelude.h" \
    | sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' \
    | grep -v -x -e syscalls -e arch_specific_syscall | sort -u > "$scratch/names"
  {
    printf '%s\n#include <stdio.h>\nint main(void) {\n' "$prelude"
    while read -r name; do
      printf '  printf("%%ld %%s\\n", (long)(__NR_%s), "%s");\n' "$name" "$name"
    done < "$scratch/names"
    printf '  return 0;\n}\n'
  } > "$scratch/print.c"
  # the headers' asm/ before the host's; stdio.h from the host
  gcc -isystem "$arch_dir" -isystem "$headers" -o "$scratch/print" "$scratch/print.c"
  "$scratch/print" | sort -n -k1,1 -k2,2
}

{
  echo "# x86_64 syscall numbers of Linux $kernel, from <asm/unistd_64.h> and <asm/unistd_x32.h> (scripts/syscall-tables.sh)"
  table "$headers/$multiarch" '#include <asm/unistd_64.h>'
  table "$headers/$multiarch" '#include <asm/unistd.h>
#include <asm/unistd_x32.h>' | awk '$1 >= 1073741824'
} > "$scratch/x86_64.tbl"

if [ -f "$headers/aarch64-linux-gnu/asm/unistd_64.h" ]; then
  {
    echo "# aarch64 syscall numbers of Linux $kernel, from arm64's <asm/unistd_64.h> (scripts/syscall-tables.sh)"
    table "$headers/aarch64-linux-gnu" '#include <asm/unistd_64.h>'
  } > "$scratch/aarch64.tbl"
else
  {
    echo "# aarch64 syscall numbers of Linux $kernel, from <asm-generic/unistd.h> as arm64 includes it (scripts/syscall-tables.sh)"
    table "$headers/$multiarch" '#define __BITS_PER_LONG 64
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_TIME32_SYSCALLS
#define __ARCH_WANT_SYS_CLONE3
#include <asm-generic/unistd.h>'
  } > "$scratch/aarch64.tbl"
fi
cp "$scratch/x86_64.tbl" "$scratch/aarch64.tbl" "$out/"
wc -l "$out"/*.tbl
