#!/usr/bin/env bash
# What each keep unit rule costs and buys on the corpus of real apps: one default-mode corpus
# run with every rule on, then, for each rule, a run with only that rule turned off
# (--no-keep-RULE) over the apps where the rule kept something. Prints a table (rule, bytes it
# kept over all apps, apps and assertions that fail without it) and writes
# bench/results/corpus-rules-<UTC time>.json.
#
# Usage: scripts/corpus-rules.sh [APP...]      (default: every corpus app; with CORPUS_RULES_BASE,
#        only the named apps of that run)
# Takes about as long as one corpus run plus one per rule over the apps it touches.
# CORPUS_RULES_BASE=bench/results/corpus-default-....json uses that run (made with the same
# minify) as the one with every rule on, instead of running it again.
set -euo pipefail
{
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RESULTS="$ROOT/bench/results"
RULES=(state-trees code-units interpreter-stdlib app-package app-content listed-directories data-catalogs
       config-references script-programs special-files)

say() { echo "corpus-rules: $*" >&2; }

latest() { ls -t "$RESULTS"/corpus-default-"$1"*.json 2>/dev/null | head -n1; }

stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [ -n "${CORPUS_RULES_BASE:-}" ]; then
  base=$(readlink -f "$CORPUS_RULES_BASE")
  say "every rule on: $base"
else
  say "every rule on"
  CORPUS_LABEL="all-$stamp" "$HERE/corpus.sh" default "$@" >&2
  base=$(latest "all-$stamp")
fi
[ -n "$base" ] || { say "the run with every rule on wrote no results"; exit 1; }

runs=()
for rule in "${RULES[@]}"; do
  mapfile -t apps < <(python3 - "$base" "$rule" "$@" <<'PY'
import json, os, sys
base, rule, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
r = json.load(open(base))
logs = os.path.join(os.path.dirname(base), r["logs"])
for row in r["results"]:
    if only and row["app"] not in only:
        continue
    report = os.path.join(logs, row["app"], "report-default.json")
    if not os.path.exists(report):
        continue
    units = {u["unit"]: u for u in json.load(open(report)).get("keepUnits", [])}
    u = units.get(rule)
    if u and any(not f.startswith("not applied") for f in u["found"]):
        print(row["app"])
PY
  )
  if [ ${#apps[@]} -eq 0 ]; then
    say "$rule kept nothing anywhere: no run"
    continue
  fi
  say "without $rule: ${apps[*]}"
  CORPUS_LABEL="no-$rule-$stamp" CORPUS_EXTRA_FLAGS="--no-keep-$rule" "$HERE/corpus.sh" default "${apps[@]}" >&2
  runs+=("$rule=$(latest "no-$rule-$stamp")")
done

python3 - "$base" "$RESULTS/corpus-rules-$stamp.json" "${runs[@]}" <<'PY'
import json, os, sys
base_path, dest, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
base = json.load(open(base_path))
logs = os.path.join(os.path.dirname(base_path), base["logs"])
by_app = {r["app"]: r for r in base["results"]}
cost = {}
for app in by_app:
    report = os.path.join(logs, app, "report-default.json")
    if os.path.exists(report):
        for u in json.load(open(report)).get("keepUnits", []):
            cost.setdefault(u["unit"], {})[app] = u["bytes"]
rows = []
for run in runs:
    rule, path = run.split("=", 1)
    off = json.load(open(path))["results"] if path else []
    broken = []
    for r in off:
        on = by_app[r["app"]]
        if r["slimPassed"] < on["slimPassed"]:
            broken.append({"app": r["app"], "with": on["slimPassed"], "without": r["slimPassed"],
                           "total": on["slimTotal"], "exitWithout": r["buildExit"]})
    rows.append({"rule": rule, "bytes": sum(cost.get(rule, {}).values()), "bytesByApp": cost.get(rule, {}),
                 "appsRun": [r["app"] for r in off], "breaksWithout": broken})
print(f"\nkeep unit rules on the corpus (default mode; every rule on: {base['appsPassing']} of {base['apps']} apps,"
      f" {base['assertionsPassed']} of {base['assertions']} assertions)")
print(f"{'rule':<22}{'kept MB':>9}  what fails without it")
for row in rows:
    fails = ", ".join(f"{b['app']} {b['without']}/{b['total']} (not {b['with']})" for b in row["breaksWithout"]) or "nothing"
    print(f"{row['rule']:<22}{row['bytes'] / 1e6:>9.1f}  {fails}")
json.dump({"base": os.path.basename(base_path), "rules": rows}, open(dest, "w"), indent=2)
print(f"written to {dest}")
PY
exit 0
}
