#!/bin/bash
# Runs in the first build stage (Debian with nodejs installed): lays out, in ROOT, a
# distroless-style root for Node.js, the way distroless images are made from Debian
# packages:
#   - node at /nodejs/bin/node (where the distroless nodejs images have it); it is the
#     Debian binary, which links libnode.so.108 and other shared libraries;
#   - every Debian package that ships one of those libraries, the node-* packages they
#     depend on (Debian's libnode loads some builtins, acorn, cjs-module-lexer, undici,
#     from /usr/share/nodejs at start), and the packages a distroless base takes besides
#     them (base-files, netbase, tzdata, ca-certificates), extracted whole at its own
#     paths (no merged /usr: /lib and /lib64 are directories);
#   - no /var/lib/dpkg/status: one control stanza per package in
#     /var/lib/dpkg/status.d/<pkg> (no Status line) and its file list with checksums in
#     /var/lib/dpkg/status.d/<pkg>.md5sums;
#   - the CA bundle, /etc/passwd and /etc/group with root, nobody and nonroot (65532);
#   - no shell, no coreutils, no package manager.
# Usage: make-rootfs.sh ROOT
set -euo pipefail
ROOT=${1:?usage: make-rootfs.sh ROOT}
NODE=/usr/bin/node
BASE_PKGS="base-files netbase tzdata ca-certificates"
mkdir -p "$ROOT"

# owner PATH: the package that ships PATH (with merged /usr a library found under /lib may
# be recorded under /usr/lib, or the other way round)
owner() {
  local p=$1 alt
  case "$p" in /usr/*) alt=${p#/usr} ;; *) alt=/usr$p ;; esac
  { dpkg-query -S "$p" 2>/dev/null || dpkg-query -S "$alt" 2>/dev/null; } | head -n1 | cut -d: -f1
}
# info PKG EXT: the dpkg info file of PKG (Multi-Arch: same packages carry :arch)
info() {
  local f
  for f in "/var/lib/dpkg/info/$1.$2" "/var/lib/dpkg/info/$1:$(dpkg --print-architecture).$2"; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

libs=$(ldd "$NODE" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
pkgs=""
for lib in $libs; do
  p=$(owner "$lib")
  [ -n "$p" ] || { echo "make-rootfs: no package ships $lib" >&2; exit 1; }
  case " $pkgs " in *" $p "*) ;; *) pkgs="$pkgs $p" ;; esac
done
# node_deps PKG: the installed node-* packages PKG depends on (first installed alternative)
node_deps() {
  dpkg-query -W -f='${Depends}\n' "$1" | tr ',' '\n' | while IFS= read -r alts; do
    for alt in $(echo "$alts" | sed 's/([^)]*)//g; s/|/ /g'); do
      alt=${alt%%:*}
      case "$alt" in node-*) ;; *) continue ;; esac
      if dpkg-query -W -f='${Status}' "$alt" 2>/dev/null | grep -q ' installed$'; then echo "$alt"; break; fi
    done
  done
}
todo=$pkgs
while [ -n "${todo// /}" ]; do
  next=""
  for p in $todo; do
    for d in $(node_deps "$p"); do
      case " $pkgs " in *" $d "*) ;; *) pkgs="$pkgs $d" next="$next $d" ;; esac
    done
  done
  todo=$next
done
pkgs="$pkgs $BASE_PKGS"
echo "make-rootfs: packages:$pkgs"

# the merged-/usr links of the build stage's root are directories in the new root
merged_top() { case "$1" in /bin|/sbin|/lib|/lib32|/lib64|/libx32) return 0 ;; esac; return 1; }

mkdir -p "$ROOT/var/lib/dpkg/status.d"
for pkg in $pkgs; do
  list=$(info "$pkg" list) || { echo "make-rootfs: $pkg is not installed" >&2; exit 1; }
  while IFS= read -r path; do
    [ "$path" = "/." ] && continue
    dest=$ROOT$path
    if merged_top "$path"; then
      mkdir -p "$dest"
    elif [ -L "$path" ]; then
      mkdir -p "$(dirname "$dest")"
      cp -P --preserve=mode,ownership,timestamps "$path" "$dest"
    elif [ -d "$path" ]; then
      mkdir -p "$dest"
      chmod --reference="$path" "$dest"
      chown --reference="$path" "$dest"
    elif [ -f "$path" ]; then
      mkdir -p "$(dirname "$dest")"
      cp --preserve=mode,ownership,timestamps "$path" "$dest"
    fi
  done <"$list"
  # the control stanza as distroless writes it: the package's fields without the
  # installation state (Status, Conffiles, Config-Version)
  dpkg-query -s "$pkg" | awk '
    /^[^ \t]/ { skip = ($1 == "Status:" || $1 == "Conffiles:" || $1 == "Config-Version:") }
    !skip' >"$ROOT/var/lib/dpkg/status.d/$pkg"
  if md5=$(info "$pkg" md5sums); then
    while read -r sum file; do
      if [ -e "$ROOT/$file" ] || [ -L "$ROOT/$file" ]; then printf '%s  %s\n' "$sum" "$file"; fi
    done <"$md5" >"$ROOT/var/lib/dpkg/status.d/$pkg.md5sums"
  fi
done

# node itself, in the distroless place (it is not recorded as a package there either)
install -D -m 0755 "$NODE" "$ROOT/nodejs/bin/node"
install -D -m 0644 /usr/share/doc/nodejs/copyright "$ROOT/nodejs/LICENSE"

# the CA bundle update-ca-certificates generated
install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"

cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
EOF
printf 'hosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
install -d -m 0700 -o 65532 -g 65532 "$ROOT/home/nonroot"
install -d -m 1777 "$ROOT/tmp"

# what the loader needs must all be there, and nothing to run a command with
for lib in $libs; do
  [ -e "$ROOT$lib" ] || [ -e "$ROOT/usr$lib" ] || { echo "make-rootfs: $lib missing from $ROOT" >&2; exit 1; }
done
[ -e "$ROOT/lib64/ld-linux-x86-64.so.2" ] || { echo "make-rootfs: no ELF loader" >&2; exit 1; }
for sh in bin/sh bin/bash usr/bin/sh usr/bin/env bin/ls; do
  [ ! -e "$ROOT/$sh" ] || { echo "make-rootfs: $sh must not be in the root" >&2; exit 1; }
done
[ ! -e "$ROOT/var/lib/dpkg/status" ]
echo "make-rootfs: $(find "$ROOT" -type f | wc -l) files, $(du -sh "$ROOT" | cut -f1)"
