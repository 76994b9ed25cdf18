#!/usr/bin/env bash
# Host-side preparation (builds have no network): installs the app's npm dependencies
# (express, ejs, iconv-lite) into app/node_modules, as `npm ci` from the committed lock
# file. Skipped while node_modules matches the lock.
set -euo pipefail
dir=$(cd "$(dirname "$0")/app" && pwd)
stamp="$dir/node_modules/.corpus-npm-ci.sha256"
want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "node-distroless: node_modules up to date"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "node-distroless: npm is needed on the host (apt-get install npm)" >&2; exit 1; }
(cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
