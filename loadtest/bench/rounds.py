"""Medians of alternating wrk rounds, and the second target against the first.

Usage: rounds.py ROUNDS_FILE COLUMN FIRST SECOND
ROUNDS_FILE holds one line a round, "TARGET WRK_RESULT key=value ...", as online-ab.sh and
monitoring-ab.sh write it. Prints a Markdown table (COLUMN names the first column) with each
target's median req/s, p50 and p99, its errors summed and every round's req/s, then
"SECOND ÷ FIRST" for the three medians.
"""
import statistics
import sys

path, column, first, second = sys.argv[1:5]
rounds = {first: [], second: []}
for line in open(path):
    target, _, *fields = line.split()
    r = dict(f.split("=") for f in fields)
    rounds[target].append((int(r["requests"]) / (int(r["duration_us"]) / 1e6), int(r["p50_us"]) / 1000,
                           int(r["p99_us"]) / 1000, int(r["socket_errors"]) + int(r["non2xx"])))
med = {t: [statistics.median(x[i] for x in rs) for i in range(3)] + [sum(x[3] for x in rs)]
       for t, rs in rounds.items()}
print(f"| {column} | req/s (median) | p50 ms | p99 ms | errors | req/s per round |")
print("|---|---:|---:|---:|---:|---|")
for t in rounds:
    per = " ".join(f"{x[0]:.0f}" for x in rounds[t])
    print(f"| {t} | {med[t][0]:.0f} | {med[t][1]:.2f} | {med[t][2]:.2f} | {med[t][3]} | {per} |")
a, b = med[first], med[second]
print(f"\n{second} ÷ {first}: req/s {b[0] / a[0]:.3f}, p50 {b[1] / a[1]:.3f}, p99 {b[2] / a[2]:.3f}")
