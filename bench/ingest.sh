#!/usr/bin/env bash
# Ingest throughput: MB of page text per second, release build, one core.
# Copies the seed pages N times (default 200, about 12 MB) into a temporary folder and
# times `kanbao stats --corpus` over it (decode, segment, extract, build the store and
# its keyword index), best of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-200}
swift build -c release >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in $(seq 1 "$copies"); do
  for f in seeds/*.txt; do cp "$f" "$dir/c${i}_$(basename "$f")"; done
done
bytes=$(cat "$dir"/*.txt | wc -c)
best=""
for run in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  taskset -c 0 .build/release/kanbao stats --corpus "$dir" >/dev/null
  t1=$(date +%s.%N)
  t=$(echo "$t1 - $t0" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
printf 'pages: %d  bytes: %d  best of 5: %.3f s  ingest: %.1f MB/s (one core)\n' \
  "$((copies * 5))" "$bytes" "$best" "$(echo "$bytes / $best / 1000000" | bc -l)"
