#!/usr/bin/env bash
# Where the bytes of each slim corpus image go: per app, what the run proved used (opened,
# executed, or needed to load what was: observed, entrypoint, ELF closure, bytecode sources,
# links and parents) against what keep unit rules kept for safety, per rule and per file group
# (the unit the rule named: a package, a distribution, a library), and what the drop rules took
# out. With a corpus-rules results file it adds, per rule and app, whether a check failed
# without the rule: safety a check proved needed.
#
# Usage: scripts/corpus-sizes.sh [CORPUS_RESULTS.json [CORPUS_RULES_RESULTS.json]]
#   (default: the newest bench/results/corpus-default-*.json; no rules file)
# Prints a table per app and writes bench/results/corpus-sizes-<UTC time>.json. Reads only
# the reports the corpus run wrote (report-<mode>.json, built with a minify whose kept[] has
# bytes); needs no engine.
set -euo pipefail
{
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RESULTS="$ROOT/bench/results"
base=${1:-$(ls -t "$RESULTS"/corpus-default-2*.json | head -n1)}
rules=${2:-}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
python3 - "$base" "$rules" "$RESULTS/corpus-sizes-$stamp.json" <<'PY'
import json, os, re, sys
base_path, rules_path, dest = sys.argv[1], sys.argv[2], sys.argv[3]
base = json.load(open(base_path))
logs = os.path.join(os.path.dirname(base_path), base["logs"])
mode = base["mode"]
USED = {"observed", "entrypoint", "elf_needed", "bytecode_source", "user_db", "symlink_to_kept", "parent_dir",
        "special_dir", "volume", "included", "preserved", "exec_program"}
needed = {}
if rules_path:
    for row in json.load(open(rules_path)).get("rules", []):
        for b in row.get("breaksWithout", []):
            needed.setdefault(b["app"], set()).add(row["rule"])

def group_of(entry):
    """The unit a rule named in the detail: 'python distribution /usr/lib/.../flask' -> that; else the reason."""
    d = entry["detail"]
    m = re.match(r"(.*?)(/\S*)", d)
    if not m:
        return d or entry["reason"]
    unit = m.group(2)
    return (m.group(1).strip() + " " + unit).strip()

def mb(b):
    return round(b / 1e6, 2)

apps = []
for row in base["results"]:
    report_path = os.path.join(logs, row["app"], "report-%s.json" % mode)
    if not os.path.exists(report_path):
        continue
    r = json.load(open(report_path))
    kept = r.get("kept", [])
    if kept and "bytes" not in kept[0]:
        print("corpus-sizes: %s: the report has no bytes per kept path (made by an older minify)" % row["app"],
              file=sys.stderr)
        continue
    used = sum(e["bytes"] for e in kept if e["reason"] in USED)
    safety, groups = {}, {}
    for e in kept:
        if e["reason"] in USED:
            continue
        safety[e["reason"]] = safety.get(e["reason"], 0) + e["bytes"]
        g = (e["reason"], group_of(e))
        groups[g] = groups.get(g, 0) + e["bytes"]
    dropped = {d["rule"]: d["bytes"] for d in r.get("dropRules", [])}
    biggest_used = sorted((e for e in kept if e["reason"] in USED), key=lambda e: -e["bytes"])[:3]
    apps.append({
        "app": row["app"], "slimBytes": row["slimBytes"], "originalBytes": row["originalBytes"],
        "slimPassed": row["slimPassed"], "slimTotal": row["slimTotal"],
        "usedBytes": used, "safetyBytes": sum(safety.values()),
        "safetyByReason": dict(sorted(safety.items(), key=lambda kv: -kv[1])),
        "safetyGroups": [{"reason": k[0], "group": k[1], "bytes": v}
                         for k, v in sorted(groups.items(), key=lambda kv: -kv[1]) if v >= 100_000],
        "droppedByRule": dropped, "droppedBytes": sum(dropped.values()),
        "strippedElf": r.get("strippedElf", {}),
        "largestUsed": [{"path": e["path"], "reason": e["reason"], "bytes": e["bytes"]} for e in biggest_used],
        "rulesAChecksNeeds": sorted(needed.get(row["app"], set())),
    })

print("%-16s %9s %9s %9s %9s  %s" % ("app", "slim MB", "used MB", "safety MB", "dropped", "safety by reason (MB)"))
for a in apps:
    print("%-16s %9.1f %9.1f %9.1f %9.1f  %s" % (a["app"], a["slimBytes"] / 1e6, a["usedBytes"] / 1e6,
        a["safetyBytes"] / 1e6, a["droppedBytes"] / 1e6,
        ", ".join("%s %.1f" % (k, v / 1e6) for k, v in a["safetyByReason"].items() if v >= 100_000)))
print()
for a in apps:
    top = a["safetyGroups"][:6]
    if top:
        print("%s: largest safety groups: %s" % (a["app"], "; ".join("%s %s %.1f MB" % (g["reason"], g["group"],
            g["bytes"] / 1e6) for g in top)))
for a in apps:
    print("%s: largest files the run used: %s" % (a["app"], "; ".join("%s %.1f MB" % (e["path"], e["bytes"] / 1e6)
        for e in a["largestUsed"])))
json.dump({"corpus": os.path.basename(base_path), "mode": mode, "rules": os.path.basename(rules_path) if rules_path
           else "", "apps": apps}, open(dest, "w"), indent=1)
print("\ncorpus-sizes: wrote %s" % os.path.relpath(dest, os.getcwd()), file=sys.stderr)
PY
}
