#!/usr/bin/env bash
# How each search finds bugs nobody planted for it: every patch in tools/mutants/ is a small change
# to the file system's code (not a catalog switch). For each mutant this script
#   1. builds the mutant in a scratch worktree of HEAD (git worktree + git apply);
#   2. runs the mutant's witness program (tools/mutants/NAME.dxp) with `explore` on the unmutated
#      build (must be clean: exit 0) and on the mutant (must violate: exit 1), so a mutant counts
#      only when daxfuzz's oracles can see it at all;
#   3. runs the benchmark's time-to-first-finding section on the mutant build with `--bugs none`
#      (the correct designs: the bug is in the code), every method, from nothing, writing each
#      run's violating input;
#   4. replays every such input on the unmutated build (`repro`): an input that violates there too
#      is a false positive of the search, not a detection of the mutant, and is reported as such.
# Writes docs/bench/mutants.md and the per-mutant results under bench-results/mutants/ (git
# ignores it). Long: up to mutants x seeds x methods x (budget + start-up) / threads.
#   tools/measure-mutants.sh [SECONDS] [SEEDS] [METHODS] [MUTANT...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
secs=${1:-60}
seeds=${2:-3}
methods=${3:-guided,guided-classic,unguided,ace}
shift 3 || shift $# || true
mutants=("$@")
if [ ${#mutants[@]} -eq 0 ]; then
  mapfile -t mutants < <(ls tools/mutants/*.patch | xargs -n1 basename | sed 's/\.patch$//')
fi
results="$root/bench-results/mutants"
mkdir -p "$results"
scratch=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$scratch/wt" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
./daxfuzz bugs >/dev/null  # build the unmutated command line once
out=docs/bench/mutants.md
tmp=$(mktemp)
{
  echo "# Mutants: bugs nobody planted for the fuzzer"
  echo
  echo "Measured $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(java -version 2>&1 | head -1)."
  echo "Each mutant is a patch in \`tools/mutants/\` applied to the file system's code; its witness program"
  echo "(\`tools/mutants/NAME.dxp\`) shows that daxfuzz's oracles can see it. Every method then searches the"
  echo "mutant build from nothing (\`daxfuzz bench --sections finding --bugs none\`), ${seeds} seed(s), a ${secs} s"
  echo "budget per run; an input counts only if it is clean on the unmutated build. Command:"
  echo "\`tools/measure-mutants.sh ${secs} ${seeds} ${methods}\`."
  echo
  echo "| mutant | witness (original → mutant) | method | found | median s | min–max s | notes |"
  echo "|---|---|---|---|---|---|---|"
} > "$tmp"
for m in "${mutants[@]}"; do
  echo "== $m" >&2
  git -C "$root" worktree add --force --detach "$scratch/wt" HEAD >/dev/null 2>&1
  (cd "$scratch/wt" && git apply "$root/tools/mutants/$m.patch")
  rc0=0; ./daxfuzz explore "tools/mutants/$m.dxp" >/dev/null 2>&1 || rc0=$?
  rc1=0; "$scratch/wt/daxfuzz" explore "$root/tools/mutants/$m.dxp" >"$results/$m.witness.txt" 2>&1 || rc1=$?
  witness="exit $rc0 → $rc1"
  if [ "$rc0" != 0 ] || [ "$rc1" != 1 ]; then
    echo "| \`$m\` | $witness: not shown by its witness, not searched | | | | | |" >> "$tmp"
    git -C "$root" worktree remove --force "$scratch/wt" >/dev/null 2>&1
    continue
  fi
  inputs="$results/$m.inputs"
  rm -rf "$inputs" "$results/$m"
  mkdir -p "$inputs"
  (cd "$scratch/wt" && ./daxfuzz bench --sections finding --bugs none --finding-seconds "$secs" \
      --finding-seeds "$seeds" --finding-methods "$methods" --finding-inputs "$inputs" --out "$results/$m") \
      > "$results/$m.log" 2>&1 || true
  # A found input must be clean on the unmutated build, or it is not this mutant.
  false_positives=()
  for f in "$inputs"/*.bin; do
    [ -e "$f" ] || continue
    rc=0; ./daxfuzz repro --daxfile sealed "$f" >/dev/null 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
      false_positives+=("$(basename "$f" .bin) (exit $rc on the original)")
    fi
  done
  python3 - "$results/$m/results.json" "$m" "$witness" "${false_positives[*]:-}" >> "$tmp" <<'PY'
import json, sys
path, mutant, witness, fps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
try:
    r = json.load(open(path))["timeToFirstFinding"]
except Exception as e:
    print(f"| `{mutant}` | {witness} | (bench failed: {e}) | | | | |")
    sys.exit(0)
for s in r["summary"]:
    med = ("≥ " if s["medianCensored"] else "") + f"{s['medianMillis']/1000:.1f}"
    notes = []
    for d in r["runs"]:
        if d["method"] == s["method"] and d.get("note"):
            notes.append(f"seed {d['seed']}: {d['note']}")
    if fps:
        notes.append("not clean on the original: " + fps)
    print(f"| `{mutant}` | {witness} | {s['method']} | {s['found']}/{s['runs']} | {med} | "
          f"{s['minMillis']/1000:.1f}–{s['maxMillis']/1000:.1f} | {'; '.join(notes)} |")
PY
  git -C "$root" worktree remove --force "$scratch/wt" >/dev/null 2>&1
done
mkdir -p "$(dirname "$out")"
mv "$tmp" "$out"
echo "wrote $out" >&2
