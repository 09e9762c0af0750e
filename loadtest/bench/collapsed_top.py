#!/usr/bin/env python3
"""Summarises collapsed stacks (one line a stack, `frame;frame;... count`, as async-profiler's
`-o collapsed` writes them) of one process: where its CPU went.

  collapsed_top.py STACKS.txt [--top N]

Three tables, each a share of every sample:
  * by owner: each sample charged to its nearest frame that is not the JDK, the kernel or the JVM
    itself (so a syscall counts for the Netty or Vert.x code that made it), grouped by package
    (four path segments), with Freshet's own frames kept whole;
  * Freshet's frames, inclusive: the share of samples with that frame anywhere on the stack;
  * self time: the leaf frames.
Standard library only.
"""
import argparse
import collections

JDK = ("java/", "jdk/", "sun/", "com/sun/")


def owner(frames):
    for frame in reversed(frames):
        if frame.endswith("_[k]") or frame.startswith(JDK) or "/" not in frame:
            continue
        if frame.startswith("io/freshet/"):
            return frame.split("$$Lambda")[0]
        return "/".join(frame.split("/")[:4])
    return "(JVM, JDK or kernel only: GC, JIT, syscalls of the JDK)"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stacks")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    total = 0
    owners, inclusive, leaves = collections.Counter(), collections.Counter(), collections.Counter()
    with open(args.stacks) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            frames = stack.split(";")
            total += n
            owners[owner(frames)] += n
            leaves[frames[-1]] += n
            for frame in {f.split("$$Lambda")[0] for f in frames if f.startswith("io/freshet/")}:
                inclusive[frame] += n
    if total == 0:
        raise SystemExit(f"collapsed_top.py: no samples in {args.stacks}")
    print(f"{total} samples")
    for title, counter in (("by owner", owners), ("Freshet's frames, inclusive", inclusive),
                           ("self", leaves)):
        print(f"\n{title}:")
        for frame, n in counter.most_common(args.top):
            print(f"{100 * n / total:6.2f}%  {frame}")


if __name__ == "__main__":
    main()
