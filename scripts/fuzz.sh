#!/usr/bin/env bash
# Fuzzes every parser that reads user or image bytes (the *FuzzTest classes: layer tars and
# whiteouts, docker-save archives, ELF, probe files, API specs, --http-probe-cmd, --mount,
# env files, --exec, shell words, image references, tar entry names) for SECONDS each
# (default 60), with a small heap, then prints one line per target: executions, inputs
# accepted without an exception, findings, seconds and the seed (-Dminify.fuzz.seed=SEED
# repeats a run). A finding fails its test with the shrunk input; the suite (`mvn test`)
# runs the same targets for 0.3 s each.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
seconds=${1:-60}
case "$seconds" in ''|*[!0-9.]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac

report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
# -fae: a finding in one module does not keep the others from being fuzzed.
mvn -B -q -fae test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx256m \
  -Dminify.fuzz.seconds="$seconds" -Dminify.fuzz.report="$report" || status=$?

printf '%-28s %12s %10s %9s %8s  %s\n' target executions accepted findings seconds seed
sort "$report" | while IFS=$'\t' read -r target executions accepted findings took seed; do
  printf '%-28s %12s %10s %9s %8s  %s\n' "$target" "$executions" "$accepted" "$findings" "$took" "$seed"
done
awk -F'\t' '{ n++; e += $2; f += $4 } END { printf "%d targets, %d executions, %d findings\n", n, e, f }' "$report"
exit "$status"
