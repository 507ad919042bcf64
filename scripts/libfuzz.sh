#!/usr/bin/env bash
# libFuzzer over the query front end or page ingest.
#
#   bash scripts/libfuzz.sh queries [RUNS]   # default 1 000 000 statements
#   bash scripts/libfuzz.sh pages [RUNS]     # default 100 000 page files
#
# Builds kanbao-libfuzz with -sanitize=fuzzer into .build-libfuzz/ (its own build
# folder: every module is instrumented for coverage), seeds a working corpus from the
# golden query files (one statement per file) or from seeds/, and runs libFuzzer.
# Findings (crashes, and inputs that broke a property) are written to
# .build-libfuzz/findings/; replay one with `swift run kanbao-libfuzz FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-queries}
case "$mode" in
    queries) runs=${2:-1000000}; max_len=2048 ;;
    pages) runs=${2:-100000}; max_len=65536 ;;
    *) echo "usage: $0 queries|pages [RUNS]" >&2; exit 2 ;;
esac

# SwiftPM gives each executable its own entry point; libFuzzer's driver is started from
# it (see Sources/CKanbaoFuzz), and lld links the instrumented binary (gold cannot).
swift build -c release --build-path .build-libfuzz --product kanbao-libfuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DKANBAO_LIBFUZZER \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
bin=$(swift build -c release --build-path .build-libfuzz --show-bin-path)/kanbao-libfuzz

corpus=.build-libfuzz/corpus-$mode
findings=.build-libfuzz/findings
mkdir -p "$corpus" "$findings"
if [ "$mode" = queries ]; then
    # Every statement of the golden files (blank-line separated, comments dropped).
    python3 - "$corpus" <<'PY'
import glob, os, sys
out = sys.argv[1]
n = 0
for path in sorted(glob.glob("Tests/KanbaoQueryTests/Golden/*.kbq")):
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        stmt = "\n".join(l for l in block.splitlines() if not l.startswith("##")).strip()
        if stmt:
            with open(os.path.join(out, f"seed-{n:04d}.kbq"), "w", encoding="utf-8") as f:
                f.write(stmt)
            n += 1
print(f"{n} seed statements")
PY
else
    cp seeds/*.txt "$corpus"/
fi

KANBAO_FUZZ=$mode "$bin" "$corpus" -runs="$runs" -max_len="$max_len" -timeout=20 \
    -artifact_prefix="$findings/" -print_final_stats=1 2>&1 | tee .build-libfuzz/last-run-$mode.log | grep -E "^#[0-9]+ +(INITED|DONE|pulse)|stat::|ERROR|property broken|Done" || true
status=${PIPESTATUS[0]}
echo "libFuzzer ($mode): exit status $status; findings in $findings/: $(ls "$findings" | wc -l)"
exit "$status"
