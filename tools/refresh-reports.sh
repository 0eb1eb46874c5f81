#!/usr/bin/env bash
# Rewrites what the committed reports quote from daxfuzz after an intended change of its output:
# the "What daxfuzz prints" block of findings/catalog/*.md and findings/designs/*.md (what
# `./daxfuzz explore PROGRAM` prints), and report.md/report.json of every fuzzer finding under
# findings/*/<token>/ (`./daxfuzz repro DIR --write-report`). The tests compare them byte for byte.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for md in findings/catalog/*.md findings/designs/*.md; do
  dxp="${md%.md}.dxp"
  [ -f "$dxp" ] || continue
  out=$(mktemp)
  ./daxfuzz explore "$dxp" >"$out" 2>/dev/null || true
  python3 - "$md" "$out" <<'PY'
import sys
md, out = sys.argv[1], sys.argv[2]
text = open(md).read()
printed = open(out).read()
h = text.index("## What daxfuzz prints")
start = text.index("```\n", h) + 4
end = text.index("\n```", start) + 1
new = text[:start] + printed + text[end:]
if new != text:
    tmp = md + ".tmp"
    open(tmp, "w").write(new)
    import os
    os.replace(tmp, md)
    print("refreshed", md)
PY
  rm -f "$out"
done
for dir in findings/*/*/; do
  [ -f "$dir/program.dxp" ] || continue
  ./daxfuzz repro "${dir%/}" --write-report
done
