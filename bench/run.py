#!/usr/bin/env python3
"""Kanbao against DuckDB on the same articles: 24 queries, equal answers, median times.

    python3 bench/run.py ARTICLES [--repeat 7] [--threads 2]

Generates the corpus (bench/out/corpus-N, cached), indexes it with `kanbao index` into a
snapshot, exports it with `kanbao export` and loads that into DuckDB (in memory, pip
package duckdb). Each query runs `--repeat` times in one kanbao process (timed by
`.timer on`, which excludes loading) and in DuckDB (timed around execute+fetch); the
answers must be equal. Prints the table for the README, plus ingest speed, snapshot
write and load times and resident memory.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KANBAO = os.path.join(ROOT, ".build/release/kanbao")

# (name, kanbao query, DuckDB SQL, kind). kind: keyword or aggregate (for the targets).
HEADLINE = "coalesce(nullif(array_to_string(headline, chr(10)), ''), title)"
def kw(word):
    return f"(contains({HEADLINE}, '{word}') OR contains(body, '{word}'))"

QUERIES = [
    ("common keyword 党建 count", "党建 | count",
     f"SELECT count(*) FROM articles WHERE {kw('党建')}", "keyword"),
    ("rare keyword 藿香正气水 count", "藿香正气水 | count",
     f"SELECT count(*) FROM articles WHERE {kw('藿香正气水')}", "keyword"),
    ("keyword + district + year", "营商环境 district:中牟县 date:2019 | count",
     f"SELECT count(*) FROM articles WHERE {kw('营商环境')} AND list_contains(districts, '中牟县') AND date LIKE '2019%'", "keyword"),
    ("(疫苗 or 核酸) and not 演练 count", "(疫苗 or 核酸) and not 演练 | count",
     f"SELECT count(*) FROM articles WHERE ({kw('疫苗')} OR {kw('核酸')}) AND NOT {kw('演练')}", "keyword"),
    ("count by district", "| count by district",
     "SELECT district, count(*) FROM articles GROUP BY district", "aggregate"),
    ("疫情 count by month", "疫情 | count by month",
     f"SELECT CASE WHEN date_precision IN ('day','month') THEN substr(date,1,7) END AS m, count(*) FROM articles WHERE {kw('疫情')} GROUP BY m", "keyword"),
    ("figures 人 > 10000 top 10 with title", "figures unit:人 value > 10000 | sort value desc | limit 10 | show article, value, title",
     "SELECT f.article, f.value, a.title FROM figures f JOIN articles a ON a.id = f.article WHERE f.unit = '人' AND f.value > 10000 ORDER BY f.value DESC, f.article, f.\"offset\" LIMIT 10", "aggregate"),
    ("sum of 元 figures by district", "figures unit:元 | stats sum(value) by district",
     "SELECT a.district, sum(f.value) FROM figures f JOIN articles a ON a.id = f.article WHERE f.unit = '元' GROUP BY a.district", "aggregate"),
    ("district + date range count", "district:郑东新区 date:2020..2021 | count",
     "SELECT count(*) FROM articles WHERE list_contains(districts, '郑东新区') AND date IS NOT NULL AND substr(date,1,4) BETWEEN '2020' AND '2021'", "aggregate"),
    ("two-character keyword 群众 count", "群众 | count",
     f"SELECT count(*) FROM articles WHERE {kw('群众')}", "keyword"),
    # Shapes of issue #14: a four-character phrase held by a tenth of the articles (in the
    # wide distribution), grouped by month and by district, and with a district and a year.
    ("phrase 文明城市 count by month", "文明城市 | count by month",
     f"SELECT CASE WHEN date_precision IN ('day','month') THEN substr(date,1,7) END AS m, count(*) FROM articles WHERE {kw('文明城市')} GROUP BY m", "keyword"),
    ("phrase 文明城市 count by district", "文明城市 | count by district",
     f"SELECT district, count(*) FROM articles WHERE {kw('文明城市')} GROUP BY district", "keyword"),
    ("phrase + district + year", "文明城市 district:中牟县 date:2020 | count",
     f"SELECT count(*) FROM articles WHERE {kw('文明城市')} AND list_contains(districts, '中牟县') AND date LIKE '2020%'", "keyword"),
    # Keyword ∧ district ∧ year where each alone is common (群众 is in most articles).
    ("common keyword + district + year", "群众 district:金水区 date:2021 | count",
     f"SELECT count(*) FROM articles WHERE {kw('群众')} AND list_contains(districts, '金水区') AND date LIKE '2021%'", "keyword"),
    # A figures filter passing about 5 % of the figures (unit 户), top 10 by value.
    ("figures 户 (5 %) top 10", "figures unit:户 | sort value desc | limit 10 | show article, value",
     "SELECT article, value FROM figures WHERE unit = '户' ORDER BY value DESC, article, \"offset\" LIMIT 10", "aggregate"),
    # The newest twenty articles (a date sorts by its first day, then precision; the
    # export's ISO text sorts the same way).
    ("sort date desc, first 20", "| sort date desc | limit 20 | show id, date",
     "SELECT id, date FROM articles ORDER BY date DESC NULLS LAST, id LIMIT 20", "aggregate"),
    # kwic of the common phrase, first 100 hits: compared by the articles they come from
    # (DuckDB cuts a context around each matching article's first hit).
    ("kwic 文明城市, first 100", "文明城市 | kwic | limit 100 | show id",
     f"SELECT id, substr(body, greatest(1, strpos(body, '文明城市') - 20), 44) FROM articles WHERE {kw('文明城市')} ORDER BY id LIMIT 100",
     "kwic"),
    # Search (issue #16): proximity, a pattern, relevance and keyness, each ≤ 50 ms. DuckDB
    # answers near and the pattern with RE2 (its `.` and [^\n] never cross a paragraph,
    # as near does not), and BM25 with the same formula written out in SQL.
    ("near: 疫情 near/5 防控 count", "疫情 near/5 防控 | count",
     f"SELECT count(*) FROM articles WHERE regexp_matches({HEADLINE}, '疫情[^\\n]{{0,5}}防控|防控[^\\n]{{0,5}}疫情') "
     f"OR regexp_matches(body, '疫情[^\\n]{{0,5}}防控|防控[^\\n]{{0,5}}疫情')", "search"),
    ("pattern /疫.{0,4}防控/ count", "/疫.{0,4}防控/ | count",
     f"SELECT count(*) FROM articles WHERE regexp_matches({HEADLINE}, '疫.{{0,4}}防控') OR regexp_matches(body, '疫.{{0,4}}防控')",
     "search"),
    ("疫情 sort score desc, top 10", "疫情 | sort score desc | limit 10 | show id",
     "WITH m AS (SELECT id, chars, "
     f"(length({HEADLINE}) - length(replace({HEADLINE}, '疫情', ''))) // 2 AS th, "
     "(length(body) - length(replace(body, '疫情', ''))) // 2 AS tb "
     f"FROM articles WHERE {kw('疫情')}), "
     "n AS (SELECT count(*) AS total, avg(chars) AS avgc FROM articles), d AS (SELECT count(*) AS df FROM m) "
     "SELECT id FROM m, n, d ORDER BY ln(1 + (total - df + 0.5) / (df + 0.5)) * (3 * th + tb) * 2.2 "
     "/ ((3 * th + tb) + 1.2 * (1 - 0.75 + 0.75 * chars / avgc)) DESC, id LIMIT 10", "search"),
    # The same three shapes on a pair held by about 8 % of the articles (垃圾分类), where
    # the three above read about half of them.
    ("near: 垃圾 near/5 分类 count", "垃圾 near/5 分类 | count",
     f"SELECT count(*) FROM articles WHERE regexp_matches({HEADLINE}, '垃圾[^\\n]{{0,5}}分类|分类[^\\n]{{0,5}}垃圾') "
     f"OR regexp_matches(body, '垃圾[^\\n]{{0,5}}分类|分类[^\\n]{{0,5}}垃圾')", "search"),
    ("pattern /垃圾.{0,3}分类/ count", "/垃圾.{0,3}分类/ | count",
     f"SELECT count(*) FROM articles WHERE regexp_matches({HEADLINE}, '垃圾.{{0,3}}分类') OR regexp_matches(body, '垃圾.{{0,3}}分类')",
     "search"),
    ("垃圾分类 sort score desc, top 10", "垃圾分类 | sort score desc | limit 10 | show id",
     "WITH m AS (SELECT id, chars, "
     f"(length({HEADLINE}) - length(replace({HEADLINE}, '垃圾分类', ''))) // 4 AS th, "
     "(length(body) - length(replace(body, '垃圾分类', ''))) // 4 AS tb "
     f"FROM articles WHERE {kw('垃圾分类')}), "
     "n AS (SELECT count(*) AS total, avg(chars) AS avgc FROM articles), d AS (SELECT count(*) AS df FROM m) "
     "SELECT id FROM m, n, d ORDER BY ln(1 + (total - df + 0.5) / (df + 0.5)) * (3 * th + tb) * 2.2 "
     "/ ((3 * th + tb) + 1.2 * (1 - 0.75 + 0.75 * chars / avgc)) DESC, id LIMIT 10", "search"),
    ("terms 20 of district:中牟县", "district:中牟县 | terms 20 | show term", None, "search"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def norm(rows):
    """Rows as sorted tuples of strings, numbers rounded, None as ''."""
    out = []
    for r in rows:
        t = []
        for v in r:
            if v is None or v == "":
                t.append("")
            else:
                try:
                    f = float(v)
                    t.append(f"{f:.6g}")
                except (TypeError, ValueError):
                    t.append(str(v))
        out.append(tuple(t))
    return sorted(out)


def max_rss_kb(cmd, stdin_text=""):
    r = subprocess.run(["/usr/bin/time", "-f", "%M %e"] + cmd, input=stdin_text, capture_output=True, text=True)
    kb, secs = r.stderr.strip().split("\n")[-1].split()
    return int(kb), float(secs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("articles", type=int)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="keep an existing snapshot (ingest is then not measured)")
    ap.add_argument("--dist", default="standard", help="the corpus family (bench/gen_corpus.py --dist)")
    ap.add_argument("--all", action="store_true", help="every distribution, one after another")
    args = ap.parse_args()
    run(["swift", "build", "-c", "release"], cwd=ROOT)
    failed = False
    for dist in (["standard", "wide"] if args.all else [args.dist]):
        print(f"\n## Distribution: {dist}")
        failed |= not bench(args, dist)
    if failed:
        sys.exit(1)


def bench(args, dist):
    """One distribution: generate, index, load, export to DuckDB, run every query; True
    when every answer is equal."""
    import duckdb

    out = os.path.join(HERE, "out")
    # The standard corpus keeps its old folder, so earlier snapshots stay usable.
    corpus = os.path.join(out, f"corpus-{args.articles}" + ("" if dist == "standard" else f"-{dist}"))
    if not os.path.isdir(corpus):
        run([sys.executable, os.path.join(HERE, "gen_corpus.py"), corpus, str(args.articles), "--dist", dist])
    text_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)

    snapshot = corpus + ".kbs"
    ingest = None
    if not (args.reuse and os.path.exists(snapshot)):
        t0 = time.time()
        run([KANBAO, "index", corpus, "-o", snapshot])
        ingest = time.time() - t0
    # Load time: open the snapshot and answer nothing.
    loads = []
    for _ in range(3):
        t0 = time.time()
        run([KANBAO, "--corpus", snapshot, "-c", "| limit 0"])
        loads.append(time.time() - t0)
    rss_kb, _ = max_rss_kb([KANBAO, "--corpus", snapshot, "-c", "| count"])

    tmp = tempfile.mkdtemp()
    art, fig = os.path.join(tmp, "articles.jsonl"), os.path.join(tmp, "figures.jsonl")
    with open(art, "w") as f:
        subprocess.run([KANBAO, "export", "articles", "--corpus", snapshot], stdout=f, check=True)
    with open(fig, "w") as f:
        subprocess.run([KANBAO, "export", "figures", "--corpus", snapshot], stdout=f, check=True)
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    acols = ("{id:'BIGINT', source:'VARCHAR', title:'VARCHAR', headline:'VARCHAR[]', byline:'VARCHAR', reporters:'VARCHAR[]', "
             "district:'VARCHAR', districts:'VARCHAR[]', places:'VARCHAR[]', date:'VARCHAR', date_precision:'VARCHAR', "
             "date_source:'VARCHAR', body:'VARCHAR', chars:'BIGINT', figures:'BIGINT'}")
    fcols = ("{article:'BIGINT', raw:'VARCHAR', value:'DOUBLE', value_max:'DOUBLE', unit:'VARCHAR', approx:'VARCHAR', "
             "context:'VARCHAR', \"offset\":'BIGINT'}")
    con.execute(f"CREATE TABLE articles AS SELECT * FROM read_json('{art}', format='newline_delimited', columns={acols})")
    con.execute(f"CREATE TABLE figures AS SELECT * FROM read_json('{fig}', format='newline_delimited', columns={fcols})")

    # Kanbao: one process, answers written with .output, then timed repeats.
    script = [".timer on"]
    for k, (_, q, _, _) in enumerate(QUERIES):
        script += [f".output {tmp}/k{k}.tsv", q, ".output /dev/null"] + [q] * args.repeat + [".output"]
    r = subprocess.run([KANBAO, "--corpus", snapshot, "--format", "tsv"], input="\n".join(script) + "\n",
                       capture_output=True, text=True, check=True)
    times = [float(x) for x in re.findall(r"Run Time: ([0-9.]+) ms", r.stderr)]
    per_query = 3 + args.repeat + 1
    rows = []
    all_equal = True
    for k, (name, q, sql, kind) in enumerate(QUERIES):
        base = 1 + k * per_query
        ktimes = times[base + 2: base + 2 + args.repeat]
        with open(f"{tmp}/k{k}.tsv") as f:
            lines = f.read().rstrip("\n").split("\n")
        kanswer = norm([l.split("\t") for l in lines[1:]])
        dtimes = []
        for _ in range(args.repeat if sql else 0):
            t0 = time.perf_counter()
            res = con.execute(sql).fetchall()
            dtimes.append((time.perf_counter() - t0) * 1000)
        if sql is None:
            # No DuckDB equivalent (keyness): timed, not compared.
            km = statistics.median(ktimes)
            rows.append((name, km, float("nan"), float("nan"), kind, None))
            continue
        if kind == "kwic":
            # Kanbao's rows are hits (several from one article); DuckDB's are articles.
            ids = list(dict.fromkeys(l.split("\t")[0] for l in lines[1:]))
            kanswer, danswer = ids, [str(r[0]) for r in res][: len(ids)]
            kind = "keyword"
        else:
            danswer = norm(res)
        equal = kanswer == danswer
        all_equal &= equal
        km, dm = statistics.median(ktimes), statistics.median(dtimes)
        rows.append((name, km, dm, dm / km if km > 0 else float("inf"), kind, equal))

    print(f"\nArticles: {args.articles}   page text: {text_bytes/1e6:.1f} MB   machine: {os.cpu_count()} cores")
    if ingest:
        print(f"Ingest (kanbao index, both cores): {ingest:.2f} s = {text_bytes/1e6/ingest:.1f} MB/s")
    else:
        print("Ingest: not measured (--reuse kept the snapshot)")
    print(f"Snapshot: {os.path.getsize(snapshot)/1e6:.1f} MB, load (median of 3, whole process): {statistics.median(loads):.2f} s")
    print(f"Resident memory after loading the snapshot: {rss_kb/1024:.0f} MiB = {rss_kb*1024/text_bytes:.2f}× the text\n")
    print("| query | kanbao ms | DuckDB ms | DuckDB/kanbao | answers |")
    print("|---|---:|---:|---:|---|")
    for name, km, dm, ratio, kind, equal in rows:
        if equal is None:
            print(f"| {name} | {km:.2f} | — | — | no DuckDB equivalent |")
        else:
            print(f"| {name} | {km:.2f} | {dm:.2f} | {ratio:.1f}× | {'equal' if equal else 'DIFFER'} |")
    worst = {k: min((r[3] for r in rows if r[4] == k), default=0) for k in ("keyword", "aggregate")}
    slowest = max(r[1] for r in rows if r[4] != "search")
    slowest_search = max((r[1] for r in rows if r[4] == "search"), default=0)
    print(f"\nSlowest query {slowest:.2f} ms; worst ratio: keyword {worst['keyword']:.1f}×, "
          f"aggregate {worst['aggregate']:.1f}×")
    # Issue #14's targets, each met or not.
    load = statistics.median(loads)
    resident = rss_kb * 1024 / text_bytes
    targets = [
        ("every query ≤ 10 ms (#14's shapes)", slowest <= 10, f"{slowest:.2f} ms"),
        ("every search query ≤ 50 ms (#16)", slowest_search <= 50, f"{slowest_search:.2f} ms"),
        ("keyword queries ≥ 30× DuckDB", worst["keyword"] >= 30, f"{worst['keyword']:.1f}×"),
        ("aggregates ≥ 5× DuckDB", worst["aggregate"] >= 5, f"{worst['aggregate']:.1f}×"),
        ("snapshot load ≤ 1 s", load <= 1, f"{load:.2f} s"),
        ("resident ≤ 1.1× the text", resident <= 1.1, f"{resident:.3f}×"),
    ]
    if ingest:
        targets.append(("ingest ≥ 30 MB/s", text_bytes / 1e6 / ingest >= 30, f"{text_bytes/1e6/ingest:.1f} MB/s"))
    for name, ok, got in targets:
        print(f"  {'met ' if ok else 'MISSED'}  {name}: {got}")
    return all_equal


if __name__ == "__main__":
    main()
