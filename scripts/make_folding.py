#!/usr/bin/env python3
"""Regenerate Sources/KanbaoStore/Folding/traditional.tsv: traditional -> simplified.

Source: OpenCC's character table `TSCharacters.txt` (Apache License 2.0), as bundled in
the PyPI package `opencc-python-reimplemented` (version given on the command line):

    pip download --no-deps -d /tmp/occ opencc-python-reimplemented==0.1.7
    cd /tmp/occ && unzip -o *.whl 'opencc/dictionary/*'
    python3 scripts/make_folding.py /tmp/occ/opencc/dictionary/TSCharacters.txt 0.1.7

Each traditional character maps to OpenCC's first simplified candidate. Folding keeps
text positions, so a pair is kept only when both characters are in the Basic
Multilingual Plane (one UTF-16 unit each); the pairs left out are counted. The mapping
is closed (a target that is itself a source maps on to its final form), so folding twice
gives what folding once gives.
"""
import sys

src, version = sys.argv[1], sys.argv[2]
pairs = {}
skipped = 0
with open(src, encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        trad, cands = line.split("\t")
        simp = cands.split(" ")[0]
        if len(trad) != 1 or len(simp) != 1:
            skipped += 1
            continue
        if ord(trad) > 0xFFFF or ord(simp) > 0xFFFF:
            skipped += 1
            continue
        if trad != simp:
            pairs[trad] = simp
# Close the mapping.
for t in list(pairs):
    s = pairs[t]
    seen = {t}
    while s in pairs and s not in seen:
        seen.add(s)
        s = pairs[s]
    pairs[t] = s
out = "Sources/KanbaoStore/Folding/traditional.tsv"
with open(out, "w", encoding="utf-8") as f:
    f.write(f"# OpenCC TSCharacters.txt via opencc-python-reimplemented {version}; Apache-2.0; scripts/make_folding.py\n")
    for t in sorted(pairs):
        f.write(f"{t}\t{pairs[t]}\n")
print(f"{len(pairs)} pairs written to {out}; {skipped} left out (not one BMP character each)")
