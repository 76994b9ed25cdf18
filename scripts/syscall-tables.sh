#!/usr/bin/env bash
# Regenerates the syscall number tables minify ships
# (probe-agent/src/main/resources/io/minify/sensor/syscall/*.tbl), one "NUMBER NAME" a line,
# from the kernel's UAPI headers (Debian's linux-libc-dev): every __NR_ macro the header
# defines, evaluated by the C compiler, so no name or number is typed by hand.
#
#   x86_64.tbl   <asm/unistd_64.h>, plus the x32 entries of <asm/unistd_x32.h> (their
#                numbers carry __X32_SYSCALL_BIT, as the raw_syscalls tracepoint reports them)
#   aarch64.tbl  <asm-generic/unistd.h> with the __ARCH_WANT_* switches arm64's own
#                <asm/unistd.h> sets (arch/arm64/include/uapi/asm/unistd.h)
#
# Usage: scripts/syscall-tables.sh   (needs gcc and linux-libc-dev)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=probe-agent/src/main/resources/io/minify/sensor/syscall
scratch=$(mktemp -d "${TMPDIR:-/tmp}/minify-syscalls-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
multiarch=$(gcc -print-multiarch)

# table PRELUDE: prints "NUMBER NAME" for every __NR_ macro the prelude's headers define
table() {
  local prelude=$1
  printf '%s\n' "$prelude" > "$scratch/prelude.h"
  # the macro names only; markers that are not syscalls are left out
  gcc -E -dM -I"/usr/include/$multiarch" "$scratch/prelude.h" \
    | sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' \
    | grep -v -x -e syscalls -e arch_specific_syscall | sort -u > "$scratch/names"
  {
    printf '%s\n#include <stdio.h>\nint main(void) {\n' "$prelude"
    while read -r name; do
      printf '  printf("%%ld %%s\\n", (long)(__NR_%s), "%s");\n' "$name" "$name"
    done < "$scratch/names"
    printf '  return 0;\n}\n'
  } > "$scratch/print.c"
  gcc -I"/usr/include/$multiarch" -o "$scratch/print" "$scratch/print.c"
  "$scratch/print" | sort -n -k1,1 -k2,2
}

{
  echo "# x86_64 syscall numbers, from <asm/unistd_64.h> and <asm/unistd_x32.h> (scripts/syscall-tables.sh)"
  table '#include <asm/unistd_64.h>'
  table '#include <asm/unistd.h>
#include <asm/unistd_x32.h>' | awk '$1 >= 1073741824'
} > "$out/x86_64.tbl"

{
  echo "# aarch64 syscall numbers, from <asm-generic/unistd.h> as arm64 includes it (scripts/syscall-tables.sh)"
  table '#define __BITS_PER_LONG 64
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_TIME32_SYSCALLS
#define __ARCH_WANT_SYS_CLONE3
#include <asm-generic/unistd.h>'
} > "$out/aarch64.tbl"
wc -l "$out"/*.tbl
