#!/usr/bin/env python3
"""Deterministic corpus generator for the benchmarks.

Writes page files in the seeds' style, with a publication date in each file name, built
from the seeds' own sentences, with districts, townships, dated leads, bylines and figures
injected. The same arguments always give the same bytes.

    python3 bench/gen_corpus.py OUT_DIR ARTICLES [--seed 1] [--dist standard|wide]
        [--figures MIN-MAX] [--phrase-share P] [--phrase-len MIN-MAX] [--paragraphs MIN-MAX]
        [--years FIRST-LAST]

The knobs shape the corpus (issue #14: speed that holds on any corpus, not only ours):
figures per article, the share of articles that hold common phrases of four to six
characters (as 垃圾分类, 营商环境 do in real pages), body length, the spread of dates.
`--dist standard` (the default) is the corpus every earlier benchmark used, byte for byte;
`--dist wide` is a second family: 1-8 figures an article, 10 % of articles holding common
phrases, longer bodies, ten years of dates.
"""
import argparse
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def seed_material():
    import json
    sentences, titles = [], []
    golden = os.path.join(ROOT, "Tests/KanbaoIngestTests/Golden/seeds.articles.jsonl")
    for line in open(golden, encoding="utf-8"):
        a = json.loads(line)
        if a["title"]:
            titles.append(a["title"])
    for name in sorted(os.listdir(os.path.join(ROOT, "seeds"))):
        text = open(os.path.join(ROOT, "seeds", name), encoding="utf-8").read()
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            if len(line) <= 40 and not re.search(r"[。！？]", line):
                continue
            for s in re.findall(r"[^。！？]+[。！？]", line):
                s = s.strip()
                if 12 <= len(s) <= 160 and not s.startswith("本报讯"):
                    sentences.append(s)
    return sentences, titles


def gazetteer():
    counties, towns = [], []
    path = os.path.join(ROOT, "Sources/KanbaoIngest/Gazetteer/zhengzhou.tsv")
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if f[0] == "county":
            counties.append(f[1])
        else:
            towns.append((f[1], f[2]))
    return counties, towns


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌海波宁博晨阳鑫浩宇欣怡佳琪"
UNITS = [("人", 1, 5000), ("名", 1, 800), ("个", 1, 200), ("处", 1, 3000), ("万元", 1, 5000), ("平方米", 100, 90000),
         ("人次", 100, 90000), ("户", 10, 3000), ("件", 1, 900), ("亿元", 1, 120)]
APPROX = ["", "", "", "余", "多"]
KICKERS = ["不忘初心 牢记使命", "防灾减灾 安全你我", "强能力 锻作风 优服务 促发展", "我为群众办实事"]


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def figure(rng):
    unit, lo, hi = rng.choice(UNITS)
    n = rng.randint(lo, hi)
    if unit in ("万元", "亿元"):
        return f"{n}{rng.choice(['', '余'])}{unit}"
    return f"{n}{rng.choice(APPROX)}{unit}"


# Common phrases of four to six characters, the kind that hold in a tenth of all
# articles and make keyword queries scan long posting lists. None of them is in the seed
# pages, so --phrase-share alone decides how many articles hold one.
PHRASES = ["文明城市", "安全生产", "智慧社区", "一网通办", "数字乡村", "夜间经济", "口袋公园", "放管服改革",
           "便民服务圈", "民生实事工程", "十五分钟生活圈", "城乡融合发展"]

DISTRIBUTIONS = {
    # The corpus of every earlier benchmark: figures at None keeps its random draws as they were.
    "standard": dict(figures=None, phrase_share=0.0, phrase_len=(4, 6), paragraphs=(2, 6), years=(2019, 2022)),
    "wide": dict(figures=(1, 8), phrase_share=0.10, phrase_len=(4, 6), paragraphs=(3, 9), years=(2013, 2022)),
}


def article(rng, sentences, titles, counties, towns, year, month, day, knobs=None):
    county = rng.choice(counties)
    town, parent = rng.choice(towns)
    where = rng.choice([f"{parent}{town}", town, county, f"{county}"])
    d = rng.randint(1, day)
    lead_date = rng.choice([f"{month}月{d}日上午,", f"{month}月{d}日,", "日前,", "近日,", f"{year}年{month}月{d}日,"])
    body = [f"本报讯(记者 {name(rng)} 通讯员 {name(rng)}){lead_date}{where}" + rng.choice(sentences)]
    if knobs is None:
        for _ in range(rng.randint(2, 6)):
            para = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.7:
                para = para[:-1] + f",累计完成{figure(rng)}。"
            body.append(para)
    else:
        lo, hi = knobs["paragraphs"]
        paras = ["".join(rng.choice(sentences) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(lo, hi))]
        # The article's figures, spread over its paragraphs.
        for _ in range(rng.randint(*knobs["figures"])):
            k = rng.randrange(len(paras))
            paras[k] = paras[k][:-1] + f",累计完成{figure(rng)}。"
        # The first phrase of the allowed lengths is in a share P of the articles (the
        # common phrase the benchmark groups), and one of the others in P/2.
        plo, phi = knobs["phrase_len"]
        allowed = [p for p in PHRASES if plo <= len(p) <= phi]
        others = allowed[1:] or allowed
        for phrase, share in ((allowed[0], knobs["phrase_share"]), (rng.choice(others), knobs["phrase_share"] / 2)):
            if rng.random() < share:
                k = rng.randrange(len(paras))
                paras[k] = f"围绕{phrase}工作," + paras[k]
        body += paras
    title = rng.choice(titles)
    if rng.random() < 0.3:
        return [rng.choice(KICKERS), title], body
    return [title], body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("articles", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dist", choices=sorted(DISTRIBUTIONS), default="standard")
    ap.add_argument("--figures", help="figures per article, MIN-MAX")
    ap.add_argument("--phrase-share", type=float, help="share of articles holding a common phrase, 0..1")
    ap.add_argument("--phrase-len", help="common phrase lengths, MIN-MAX characters (4-6)")
    ap.add_argument("--paragraphs", help="body paragraphs, MIN-MAX")
    ap.add_argument("--years", help="date spread, FIRST-LAST")
    args = ap.parse_args()
    knobs = dict(DISTRIBUTIONS[args.dist])

    def span(text):
        a, b = text.split("-")
        return int(a), int(b)

    for key, value in [("figures", args.figures), ("phrase_len", args.phrase_len), ("paragraphs", args.paragraphs),
                       ("years", args.years)]:
        if value:
            knobs[key] = span(value)
    if args.phrase_share is not None:
        knobs["phrase_share"] = args.phrase_share
    standard = knobs == DISTRIBUTIONS["standard"]
    if not standard and knobs["figures"] is None:
        knobs["figures"] = (1, 5)   # a knob was set: the shaped draw needs a figure count
    rng = random.Random(args.seed)
    sentences, titles = seed_material()
    counties, towns = gazetteer()
    os.makedirs(args.out, exist_ok=True)
    written = page = 0
    while written < args.articles:
        year = rng.choice([2019, 2020, 2021, 2022]) if standard else rng.randint(*knobs["years"])
        month = rng.randint(1, 12)
        day = rng.randint(2, 28)
        sub = os.path.join(args.out, str(year))
        os.makedirs(sub, exist_ok=True)
        count = min(rng.randint(5, 11), args.articles - written)
        parts = ["", "", "壮丽70年 奋斗新时代" if year == 2019 else "中原出彩 郑州先出彩出重彩", ""]
        for _ in range(count):
            head, body = article(rng, sentences, titles, counties, towns, year, month, day,
                                 None if standard else knobs)
            for h in head:
                parts += [h, ""]
            for p in body:
                parts += [p, ""]
        path = os.path.join(sub, f"zzrb-{year}-{month:02d}-{day:02d}-p{page:07d}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(parts))
        written += count
        page += 1
    print(f"{written} articles in {page} pages under {args.out}")


if __name__ == "__main__":
    main()
