#!/usr/bin/env bash
# The test suite under AddressSanitizer and ThreadSanitizer, each in its own build folder.
#   bash scripts/sanitize.sh [address|thread]...   (default: both)
# Prints each run's test summary and any sanitizer report; the full logs are left in
# .build-KIND/sanitize.log.
set -uo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(address thread)
status=0
for kind in "${kinds[@]}"; do
  echo "== swift test --sanitize=$kind"
  mkdir -p ".build-$kind"
  swift test --sanitize="$kind" --scratch-path ".build-$kind" > ".build-$kind/sanitize.log" 2>&1 || status=1
  grep -E "Executed [0-9]+ tests" ".build-$kind/sanitize.log" | tail -n 1
  grep -E "ERROR: (Address|Thread|Leak)Sanitizer|WARNING: ThreadSanitizer|SUMMARY: " ".build-$kind/sanitize.log" | sort | uniq -c
done
exit $status
