#!/usr/bin/env bash
# One bug, one finding, measured: a fresh 60-second `daxfuzz fuzz` campaign per catalog bug (from
# the committed seeds, libFuzzer seed 1), counting the failing inputs the driver reported and the
# findings they were triaged into. A finding whose reproducer still violates with its `bug` line
# removed is a flaw of the design itself (the rfc-v1 daxfile), not the seeded bug, and is listed
# apart. Writes docs/measurements/findings-per-bug.md (atomically). Takes about 30 minutes.
#   tools/measure-findings-per-bug.sh [SECONDS] [BUG...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${1:-60}
shift || true
bugs=("$@")
if [ ${#bugs[@]} -eq 0 ]; then
  mapfile -t bugs < <(./daxfuzz bugs --json | python3 -c 'import json,sys; print("\n".join(b["name"] for b in json.load(sys.stdin)))')
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=docs/measurements/findings-per-bug.md
tmp=$(mktemp)
{
  echo "# Findings per seeded bug: one bug, one finding"
  echo
  echo "Measured $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(java -version 2>&1 | head -1)."
  echo "Each row is a fresh \`./daxfuzz fuzz --bug BUG --time ${secs}s\` campaign from the committed seeds"
  echo "(libFuzzer seed 1). *Failing inputs*: what the driver reported and daxfuzz triaged; *findings*: the"
  echo "distinct tokens they minimised to; *design flaws*: findings whose reproducer still violates without"
  echo "its \`bug\` line (the rfc-v1 daxfile's own, documented flaws), not counted against the bug."
  echo
  echo "| bug | failing inputs | findings of the bug | design flaws | kinds | first finding |"
  echo "|---|---|---|---|---|---|"
} > "$tmp"
for bug in "${bugs[@]}"; do
  log="$work/$bug.log"
  rc=0
  ./daxfuzz fuzz --bug "$bug" --time "${secs}s" --work "$work/w-$bug" >"$log" 2>&1 || rc=$?
  summary=$(grep 'daxfuzz: done:' "$log" | tail -1)
  failing=$(sed -n 's/.*; \([0-9]*\) failing input.*/\1/p' <<<"$summary")
  first=$(sed -n 's/.*first finding after \([0-9]*\) ms.*/\1 ms/p' "$log" | head -1)
  own=0; flaws=0; kinds=()
  for d in "$work"/w-"$bug"/*/findings/*/; do
    [ -f "$d/program.dxp" ] || continue
    kind=$(sed -n 's/^# expect: //p' "$d/program.dxp")
    grep -v "^bug $bug\$" "$d/program.dxp" > "$work/off.dxp"
    if ./daxfuzz explore "$work/off.dxp" >/dev/null 2>&1; then
      own=$((own + 1)); kinds+=("$kind")
    else
      flaws=$((flaws + 1))
    fi
  done
  echo "| \`$bug\` | ${failing:-0} | $own | $flaws | $(IFS=,; echo "${kinds[*]:-}") | ${first:-none} (exit $rc) |" >> "$tmp"
  echo "$bug: failing=${failing:-0} own=$own flaws=$flaws kinds=${kinds[*]:-} first=${first:-none} rc=$rc" >&2
done
mkdir -p "$(dirname "$out")"
mv "$tmp" "$out.tmp" && mv "$out.tmp" "$out"
echo "wrote $out" >&2
