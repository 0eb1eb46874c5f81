#!/usr/bin/env bash
# The heap a program needs: the smallest -Xmx (in steps of 8 MiB) with which `daxfuzz explore`
# completes under the serial GC, for each program given (default: the probes HeapBudget's
# constants come from). The estimate is switched off (-Ddaxfuzz.measureHeap=true) so that it does
# not refuse what is being measured. Build first (./daxfuzz --version).
#   tools/measure-heap.sh [FILE.dxp...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=harness/target/daxfuzz.jar
[ -f "$jar" ] || ./daxfuzz --version >/dev/null
probes=$(mktemp -d)
trap 'rm -rf "$probes"' EXIT
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  printf 'device 64M\nmkdir /a\n' > "$probes/device-64M.dxp"
  printf 'device 128M\nmkdir /a\n' > "$probes/device-128M.dxp"
  printf 'device 16M\nopen f /a creat,rdwr\nwrite f 0 fill:0x41*1M\nfsync f\n' > "$probes/write-1M.dxp"
  printf 'device 16M\nopen f /a creat,rdwr\nwrite f 0 fill:0x41*4M\nfsync f\n' > "$probes/write-4M.dxp"
  printf 'device 16M\nopen f /a creat,rdwr\ntruncate f 4M\nmmap m f 0 4M shared-validate,sync\nmstore m 0 fill:0x41*4M\npersist m 0 4M\n' > "$probes/mstore-sync-4M.dxp"
  printf 'fs none\ndevice 16M\nstore 0 fill:0x41*1M\nsfence\n' > "$probes/store-1M.dxp"
  printf 'fs none\ndevice 16M\nstore 0 fill:0x41*4M\nsfence\n' > "$probes/store-4M.dxp"
  files=("$probes"/*.dxp)
fi
echo "| program | smallest heap |"
echo "|---|---|"
for f in "${files[@]}"; do
  lo=8; hi=4096
  while [ $((hi - lo)) -gt 8 ]; do
    mid=$(((lo + hi) / 2))
    rc=0
    java -Xmx${mid}m -XX:+UseSerialGC -Ddaxfuzz.measureHeap=true -jar "$jar" explore "$f" >/dev/null 2>&1 || rc=$?
    if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then hi=$mid; else lo=$mid; fi
  done
  echo "| $(basename "$f") | $hi MiB |"
done
