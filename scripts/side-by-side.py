#!/usr/bin/env python3
"""Times commands side by side: each round runs every command once (A B C ... A B C ...), so a
change in a shared machine's load touches all of them alike. Prints a Markdown table of medians
(wall and CPU time: user + sys of the command and the processes it waited for, which depends far
less on the other load than wall time does), the requested ratios, and the load average.

usage: side-by-side.py RUNS COMMANDS_FILE [--ratio 'TEXT=I/J[+K...]']... [--between 'COMMAND']
  COMMANDS_FILE: one 'name|command line' per line (split like a shell, no shell features)
  --ratio: prints TEXT = median(I) / (median(J) + median(K) ...), I, J, K being 0-based lines
  --between: a command run, untimed, before every timed one (e.g. 'sync', so that no command pays
    for the write-back of the dirty pages the one before it left)
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t) * 1000, (ru.ru_utime + ru.ru_stime) * 1000


def main(args):
    runs = int(args[0])
    cmds = [l.rstrip("\n").split("|", 1) for l in open(args[1]) if l.strip()]
    ratios = [r for flag, r in zip(args[2::2], args[3::2]) if flag == "--ratio"]
    between = [shlex.split(r) for flag, r in zip(args[2::2], args[3::2]) if flag == "--between"]
    wall = [[] for _ in cmds]
    cpu = [[] for _ in cmds]
    print("load average before: " + " ".join(open("/proc/loadavg").read().split()[:3]))
    for _ in range(2):  # warm-up rounds: page cache, CDS archive mapped once
        for _, c in cmds:
            for b in between:
                subprocess.run(b, check=True)
            run(shlex.split(c))
    for _ in range(runs):
        for i, (_, c) in enumerate(cmds):
            for b in between:
                subprocess.run(b, check=True)
            w, u = run(shlex.split(c))
            wall[i].append(w)
            cpu[i].append(u)
    mw = [statistics.median(v) for v in wall]
    mc = [statistics.median(v) for v in cpu]
    print("| command | median ms | min ms | max ms | median CPU ms |")
    print("|---|---:|---:|---:|---:|")
    for i, (name, _) in enumerate(cmds):
        print("| %s | %.0f | %.0f | %.0f | %.0f |" % (name, mw[i], min(wall[i]), max(wall[i]), mc[i]))
    print()
    for r in ratios:
        text, expr = r.rsplit("=", 1)
        top, bottom = expr.split("/")
        parts = [int(x) for x in bottom.split("+")]
        for label, m in (("wall", mw), ("CPU", mc)):
            den = sum(m[p] for p in parts)
            print("%s (%s): %.0f / %s = %.2f" % (text, label, m[int(top)],
                  " + ".join("%.0f" % m[p] for p in parts), m[int(top)] / den))
    print("load average after: " + " ".join(open("/proc/loadavg").read().split()[:3]))


if __name__ == "__main__":
    main(sys.argv[1:])
