#!/usr/bin/env python3
"""ffi.py -- the ffi workload (benches/ffi/handles_qsort.py) on Thicket, CPython with
cffi, and PyPy (built-in cffi), in one run; prints a markdown table.

  * Thicket : target/release/thicket run PROG N M   (built first unless --no-build)
  * CPython : python3 PROG N M                      (needs `pip install cffi`)
  * PyPy    : pypy3 PROG N M                        (skipped with a note if missing)

Columns: time per new_handle + from_handle pair in the loop (ns), and the time of a
libc qsort of M handles with a Python callback that compares the objects reached
through from_handle (ms). Best of --repeat runs; a run counts only if its check line
equals CPython's. Python 3 standard library only.

    python3 benches/ffi.py
    python3 benches/ffi.py --n 200000 --m 20000 --repeat 3 --no-build
"""

import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROG = os.path.join(ROOT, "benches", "ffi", "handles_qsort.py")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1:] or ["exit %d" % p.returncode]
    vals = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition(" ")
        vals[k] = v
    return vals, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000000, help="handle loop iterations")
    ap.add_argument("--m", type=int, default=100000, help="items sorted by qsort")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    impls = [
        ("Thicket", [os.path.join(ROOT, "target", "release", "thicket"), "run"]),
        ("CPython + cffi", [sys.executable if "python3" in sys.executable else "python3"]),
        ("PyPy", ["pypy3"]),
    ]
    rows = []
    reference = None
    for name, cmd in impls:
        if shutil.which(cmd[0]) is None and not os.path.exists(cmd[0]):
            rows.append((name, "missing", "", ""))
            continue
        best = None
        note = ""
        for _ in range(args.repeat):
            vals, err = run(cmd + [PROG, str(args.n), str(args.m)])
            if vals is None:
                note = "failed: " + " ".join(err)
                break
            if reference is None and name == "CPython + cffi":
                reference = vals.get("check")
            h, q = float(vals["handles_ns"]), float(vals["qsort_ms"])
            best = (min(best[0], h), min(best[1], q)) if best else (h, q)
            check = vals.get("check")
        if best is None:
            rows.append((name, note, "", ""))
        else:
            rows.append((name, "%.1f" % best[0], "%.1f" % best[1], check))
    print("n = %d handle pairs, m = %d items sorted, best of %d\n" % (args.n, args.m, args.repeat))
    print("| implementation | new_handle + from_handle (ns) | qsort with callback (ms) | check |")
    print("|---|---:|---:|---|")
    for name, h, q, check in rows:
        mark = check
        if reference is not None and check and check != reference:
            mark = check + " (MISMATCH)"
        print("| %s | %s | %s | %s |" % (name, h, q, mark))


if __name__ == "__main__":
    main()
