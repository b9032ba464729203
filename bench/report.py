#!/usr/bin/env python3
"""Print the benchmark table from bench/run.sh's results (medians, ratios, peak RSS)."""
import json
import re
import sys
from pathlib import Path

work = Path(sys.argv[1])
corpora = sys.argv[2:]
results = work / "results"


def median(corpus, tool):
    f = results / f"{corpus}.{tool}.json"
    return json.loads(f.read_text())["results"][0]["median"] if f.exists() else None


def rss_mib(corpus, tool):
    f = results / f"{corpus}.{tool}.timev"
    if not f.exists():
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read_text())
    return int(m.group(1)) / 1024 if m else None


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


tools = ["floor-par", "rg-items", "check-concise", "check-cached", "list-json", "agenda", "report", "check-human", "check-concise-1t"]
print("| corpus | command | median | x floor par | x rg | ms per 1k notes | peak RSS |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
for corpus in corpora:
    stats = work / "corpora" / f"{corpus}.json"
    notes = json.loads(stats.read_text()).get("notes") if stats.exists() else None
    floor, rg = median(corpus, "floor-par"), median(corpus, "rg-items")
    for tool in tools:
        m = median(corpus, tool)
        if m is None:
            continue
        ratio = lambda base: f"{m / base:.2f}" if base else "-"
        per_k = f"{m * 1000 / notes * 1000:.2f}" if notes else "-"
        rss = rss_mib(corpus, tool)
        rss = f"{rss:.0f} MiB" if rss is not None else "-"
        print(f"| {corpus} | {tool} | {fmt_time(m)} | {ratio(floor)} | {ratio(rg)} | {per_k} | {rss} |")
    agenda, report = median(corpus, "agenda"), median(corpus, "report")
    if agenda and report:
        print(f"| {corpus} | report vs agenda | {report / agenda:.2f}x | | | | |")
    if corpus == "huge":
        size = sum(f.stat().st_size for f in (work / "corpora" / "huge").glob("*.md")) / 2**20
        for tool in tools:
            rss = rss_mib(corpus, tool)
            if rss is not None and tool != "floor-par":
                print(f"| huge | {tool}: peak RSS / note size | {rss / size:.1f}x | | | | |")
    one, par = median(corpus, "check-concise-1t"), median(corpus, "check-concise")
    if one and par:
        print(f"| {corpus} | speed-up, 2 threads vs 1 | {one / par:.2f}x | | | | |")
