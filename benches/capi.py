#!/usr/bin/env python3
"""capi.py -- the C-API workload (benches/capi/timing.py over our own extension
benches/capi/capibench.c) on CPython 3.11, PyPy and Thicket, in one run; prints a
markdown table of ns per operation.

  * CPython : cc -O2 -shared -fPIC with its sysconfig include dir, then python3
  * PyPy    : the same with pypy3's include dir and EXT_SUFFIX (pypy3 and pypy3-dev
              are installed with apt-get when missing and --no-install is not given)
  * Thicket : target/release/thicket build-ext (release build first unless --no-build)

Rows: an empty loop (the interpreter's own overhead, included in every other row), a
METH_NOARGS call, METH_O with an int (PyLong_AsLong / PyLong_FromLong), METH_VARARGS
with three ints (PyArg_ParseTuple "lll"), a 10-int tuple built in C (per tuple), a
PyList_Append loop and a PyDict_SetItem loop (per item), and a Python loop consuming
C-made lists, dicts and tuples (per item). The runtimes take turns, --repeat rounds;
each cell is the best round. A run counts only if its check line equals CPython's.
Python 3 standard library only.

    python3 benches/capi.py
    python3 benches/capi.py --n 1000000 --repeat 3 --no-build
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "benches", "capi", "capibench.c")
PROG = os.path.join(ROOT, "benches", "capi", "timing.py")
THICKET = os.path.join(ROOT, "target", "release", "thicket")
ROWS = [
    ("loop", "empty loop (per iteration)"),
    ("noargs", "`noargs()` METH_NOARGS"),
    ("one", "`one(i)` METH_O, int in and out"),
    ("three", "`three(i, 2, 3)` METH_VARARGS \"lll\""),
    ("tuple10", "`tuple10(i)` 10-int tuple (per tuple)"),
    ("list_append", "PyList_Append loop (per item)"),
    ("dict_set", "PyDict_SetItem loop (per item)"),
    ("consume", "Python loop over C-made results (per item)"),
]


def sysconfig_of(python):
    p = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['include']);"
         " print(sysconfig.get_config_var('EXT_SUFFIX'))"],
        capture_output=True, text=True, check=True)
    inc, suffix = p.stdout.split()
    return inc, suffix


def build_cc(python, outdir):
    inc, suffix = sysconfig_of(python)
    if not os.path.exists(os.path.join(inc, "Python.h")):
        raise RuntimeError("no Python.h in " + inc)
    out = os.path.join(outdir, "capibench" + suffix)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-I" + inc, SRC, "-o", out], check=True)


def ensure_pypy(install):
    if shutil.which("pypy3") is not None:
        try:
            inc, _ = sysconfig_of("pypy3")
            if os.path.exists(os.path.join(inc, "Python.h")):
                return True
        except (subprocess.CalledProcessError, ValueError):
            pass
    if not install or shutil.which("apt-get") is None:
        return False
    subprocess.run(["apt-get", "install", "-y", "pypy3", "pypy3-dev"],
                   capture_output=True, text=True)
    return shutil.which("pypy3") is not None


def run(cmd, env):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
    vals = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition(" ")
        vals[k] = v
    return vals, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000000, help="calls per loop")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (best counts)")
    ap.add_argument("--no-build", action="store_true", help="use the existing release build")
    ap.add_argument("--no-install", action="store_true", help="do not apt-get install PyPy")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="capibench-")
    impls = []  # (name, command, env)
    notes = {}
    python = sys.executable if "python3" in os.path.basename(sys.executable) else "python3"
    d = os.path.join(work, "cpython")
    os.makedirs(d)
    build_cc(python, d)
    impls.append(("CPython", [python], dict(os.environ, PYTHONPATH=d)))
    if ensure_pypy(not args.no_install):
        d = os.path.join(work, "pypy")
        os.makedirs(d)
        try:
            build_cc("pypy3", d)
            impls.append(("PyPy", ["pypy3"], dict(os.environ, PYTHONPATH=d)))
        except (RuntimeError, subprocess.CalledProcessError) as e:
            notes["PyPy"] = "build failed: %s" % e
    else:
        notes["PyPy"] = "missing (apt-get install pypy3 pypy3-dev)"
    d = os.path.join(work, "thicket")
    subprocess.run([THICKET, "build-ext", "-o", d, "capibench", SRC], check=True,
                   capture_output=True)
    impls.append(("Thicket", [THICKET, "run"], dict(os.environ, THICKETPATH=d)))

    best = {name: {} for name, _, _ in impls}
    reference = None
    for _ in range(args.repeat):
        for name, cmd, env in impls:
            if name in notes:
                continue
            vals, err = run(cmd + [PROG, str(args.n)], env)
            if vals is None:
                notes[name] = "failed: " + err
                continue
            if name == "CPython":
                reference = vals.get("check")
            elif reference is not None and vals.get("check") != reference:
                notes[name] = "check mismatch: %s" % vals.get("check")
                continue
            for key, _ in ROWS:
                v = float(vals[key])
                best[name][key] = min(best[name].get(key, v), v)
    shutil.rmtree(work, ignore_errors=True)

    names = [name for name, _, _ in impls if name not in notes or best[name]]
    print("n = %d calls per loop (list/dict/consume: n/4 items), best of %d rounds, ns per op\n"
          % (args.n, args.repeat))
    head = "| operation | " + " | ".join(names) + " | Thicket / CPython |"
    print(head)
    print("|---|" + "---:|" * (len(names) + 1))
    cp, th = best.get("CPython", {}), best.get("Thicket", {})
    for key, label in ROWS:
        cells = ["%.1f" % best[n][key] if key in best[n] else "" for n in names]
        ratio = "%.2fx" % (th[key] / cp[key]) if key in th and key in cp else ""
        print("| %s | %s | %s |" % (label, " | ".join(cells), ratio))
    print()
    for n in names:
        b = best[n]
        if "one" in b and "noargs" in b:
            print("%s: int call / noargs call = %.2fx" % (n, b["one"] / b["noargs"]))
    for n, note in notes.items():
        print("%s: %s" % (n, note))


if __name__ == "__main__":
    main()
