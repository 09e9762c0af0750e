#!/usr/bin/env python3
"""Summarises a JFR recording of a load run: where the CPU went (execution samples: self and
inclusive time per method, Freshet's own frames called out) and where the allocation went
(allocation samples: bytes per allocating frame and class). Also writes the CPU samples as
collapsed stacks (one line a stack, `frame;frame;... count`), which any flame-graph tool reads.

  jfr_top.py RECORDING.jfr [--top N] [--collapsed OUT.txt]
Standard library only; needs the JDK's `jfr` on the PATH.
"""
import argparse
import collections
import json
import subprocess


def events(recording, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", name, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    result = []
    for f in trace.get("frames", []):
        m = f["method"]
        result.append(m["type"]["name"].replace("/", ".").replace("io.freshet.", "") + "." + m["name"])
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("recording")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--collapsed")
    a = p.parse_args()

    samples = events(a.recording, "jdk.ExecutionSample")
    total = len(samples) or 1
    self_t, incl_t, own_t = collections.Counter(), collections.Counter(), collections.Counter()
    collapsed = collections.Counter()
    for e in samples:
        fs = frames(e)
        if not fs:
            continue
        self_t[fs[0]] += 1
        for f in set(fs):
            incl_t[f] += 1
        own = next((f for f in fs if not f.startswith(("java.", "jdk.", "sun.", "io.vertx", "io.netty",
                                                        "com.", "io.micrometer", "dev.cel", "org."))), None)
        if own:
            own_t[own] += 1
        collapsed[";".join(reversed(fs))] += 1
    print(f"CPU samples: {len(samples)}")
    print(f"\n-- self time (top {a.top})")
    for f, n in self_t.most_common(a.top):
        print(f"{100 * n / total:6.2f}%  {f}")
    print(f"\n-- inclusive time, Freshet frames (top {a.top})")
    for f, n in [x for x in incl_t.most_common() if "." in x[0] and x[0].split(".")[0] in
                 ("read", "write", "pit", "ops", "http", "tier", "model", "selection", "freshness",
                  "transform", "metrics", "registry", "encoding", "Routes", "Freshet")][: a.top]:
        print(f"{100 * n / total:6.2f}%  {f}")
    print(f"\n-- nearest Freshet frame of each sample (top {a.top})")
    for f, n in own_t.most_common(a.top):
        print(f"{100 * n / total:6.2f}%  {f}")
    if a.collapsed:
        with open(a.collapsed, "w") as out:
            for stack, n in collapsed.most_common():
                out.write(f"{stack} {n}\n")

    allocs = events(a.recording, "jdk.ObjectAllocationSample")
    by_site, by_class = collections.Counter(), collections.Counter()
    weight = 0
    for e in allocs:
        w = e["values"].get("weight", 0)
        weight += w
        fs = frames(e)
        site = next((f for f in fs if not f.startswith(("java.", "jdk.", "sun."))), fs[0] if fs else "?")
        by_site[site] += w
        by_class[e["values"]["objectClass"]["name"]] += w
    weight = weight or 1
    print(f"\nallocation samples: {len(allocs)}, {weight / 2**20:.0f} MiB sampled weight")
    print(f"\n-- allocation by first non-JDK frame (top {a.top})")
    for f, w in by_site.most_common(a.top):
        print(f"{100 * w / weight:6.2f}%  {f}")
    print(f"\n-- allocation by class (top {a.top})")
    for c, w in by_class.most_common(a.top):
        print(f"{100 * w / weight:6.2f}%  {c}")


if __name__ == "__main__":
    main()
