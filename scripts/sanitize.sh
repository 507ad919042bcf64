#!/usr/bin/env bash
# The test suite under AddressSanitizer and ThreadSanitizer, each in its own build folder.
#   bash scripts/sanitize.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(address thread)
for kind in "${kinds[@]}"; do
  echo "== swift test --sanitize=$kind"
  # The pseudo-terminal and signal tests spawn the instrumented binary; they stay in.
  swift test --sanitize="$kind" --scratch-path ".build-$kind" 2>&1 | tail -n 5
done
