#!/usr/bin/env python3
"""Prints a Gatling HTML report's statistics table as Markdown, one row per request name.

  report.py REPORT_DIR [--tsv]

Gatling 3.15 keeps its statistics only in the report's index.html (simulation.log is binary),
so this reads that table. Response times are Gatling's, in whole milliseconds. --tsv prints
name, total, ko, p50, p75, p95, p99, max, mean (for the bench scripts). Standard library only.
"""

import html
import re
import sys

COLUMNS = ["total", "ok", "ko", "ko_pct", "cnt_per_s", "min", "p50", "p75", "p95", "p99", "max", "mean", "std"]


def rows(index_html):
    for match in re.finditer(r'class="ellipsed-name">(.*?)</span>(.*?)</tr>', index_html, re.S):
        name = html.unescape(match.group(1))
        cells = re.findall(r'<td class="value [a-z]+ col-(\d+)">([^<]*)</td>', match.group(2))
        values = {COLUMNS[int(col) - 2]: value for col, value in cells}
        if values:
            yield name, values


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1].rstrip("/") + "/index.html", encoding="utf-8") as f:
        stats = list(rows(f.read()))
    if "--tsv" in sys.argv:
        for name, v in stats:
            print("\t".join([name] + [v[k] for k in ["total", "ko", "p50", "p75", "p95", "p99", "max", "mean"]]))
        return
    print("| request | total | KO | % KO | p50 ms | p75 ms | p95 ms | p99 ms | max ms | mean ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, v in stats:
        print(f"| {name} | {v['total']} | {v['ko']} | {v['ko_pct']} | {v['p50']} | {v['p75']} | {v['p95']} "
              f"| {v['p99']} | {v['max']} | {v['mean']} |")


if __name__ == "__main__":
    main()
