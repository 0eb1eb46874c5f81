#!/usr/bin/env bash
# Start-up of a campaign against the size of its working corpus: how long `daxfuzz fuzz` takes
# until libFuzzer reports INITED ("fuzzing started after N ms"), for working corpora of N random
# byte inputs (every byte string decodes to a valid program), once without and once with the
# merge daxfuzz runs at start when a corpus has grown past 500 inputs. Prints a Markdown table.
#   tools/measure-startup.sh [SIZES...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(0 250 500 1000 2000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/pool" "${sizes[-1]}" <<'PY'
import os, random, sys
pool, n = sys.argv[1], int(sys.argv[2])
os.makedirs(pool)
rnd = random.Random(20261203)  # seeded: the same pool every time
for i in range(n):
    data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(8, 120)))
    with open(os.path.join(pool, "in-%05d" % i), "wb") as f:
        f.write(data)
PY
started() { sed -n 's/.*fuzzing started after \([0-9]*\) ms.*/\1/p' "$1" | head -1; }
echo "| working corpus | start-up (first run) | inputs after the start-up merge | start-up (second run) |"
echo "|---|---|---|---|"
for n in "${sizes[@]}"; do
  w="$work/w-$n"
  c="$w/syscall-crash.sealed/corpus"
  mkdir -p "$c"
  pool=("$work"/pool/*)   # sorted by name; a slice, not `ls | head`, which pipefail turns into SIGPIPE
  for f in "${pool[@]:0:n}"; do cp "$f" "$c/"; done
  ./daxfuzz fuzz --runs 1 --time 3600s --work "$w" >"$w.1.log" 2>&1 || true
  after=$(ls "$c" | wc -l)
  ./daxfuzz fuzz --runs 1 --time 3600s --work "$w" >"$w.2.log" 2>&1 || true
  echo "| $n | $(started "$w.1.log") ms | $after | $(started "$w.2.log") ms |"
done
