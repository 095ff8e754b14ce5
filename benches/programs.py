#!/usr/bin/env python3
"""programs.py -- run the Python benchmark programs on Thicket, CPython, PyPy.

Runs every program in benches/programs/*.py on

  * Thicket : target/release/thicket run PROG [SIZE]
              (built first with `cargo build --release` unless --no-build)
  * CPython : python3 PROG [SIZE]          (the reference; meant to be 3.11)
  * PyPy    : pypy3 PROG [SIZE]            (skipped with a note if missing)

each in a fresh process, and prints a markdown table of wall time (best of
--repeat runs), peak RSS (largest over the runs) and the speed ratio against
CPython (time_cpython / time_impl, so > 1 means faster than CPython), plus
the geometric mean of the ratios per implementation over the programs that
ran correctly.  An implementation's run is correct when it exits 0 and its
stdout equals CPython's; failures and mismatches are marked in the table.

Peak RSS comes from `/usr/bin/time -f %M` wrapped around each run (its own
small process, so the runner's RSS does not leak in); without /usr/bin/time
it falls back to ru_maxrss from os.wait4() on a direct child, which has a
floor of roughly this runner's RSS.

Raw results are written as JSON to benches/out/programs.json.
Python 3 standard library only.

Examples:
    python3 benches/programs.py
    python3 benches/programs.py --impls cpython,pypy --no-build
    python3 benches/programs.py --only nbody,richards --repeat 3
    python3 benches/programs.py --size binary_trees=12 --size nbody=1000
"""

import argparse
import datetime
import difflib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROG_DIR = os.path.join(ROOT, "benches", "programs")
OUT_DIR = os.path.join(ROOT, "benches", "out")
JSON_PATH = os.path.join(OUT_DIR, "programs.json")

# Table order; any other *.py in benches/programs/ is appended, sorted.
PROGRAM_ORDER = (
    "binary_trees", "gcbench", "nbody", "spectral_norm",
    "fannkuch", "richards", "float_heavy", "string_dict",
)

IMPL_KEYS = ("thicket", "cpython", "pypy")
LABELS = {"thicket": "Thicket", "cpython": "CPython", "pypy": "PyPy"}
TIME_BIN = "/usr/bin/time"


def log(msg=""):
    print(msg, flush=True)


def first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (r.stdout or r.stderr).strip()
    return text.splitlines()[0] if text else None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tail(text, n=10):
    lines = text.rstrip().splitlines()
    return "\n".join("    | " + l for l in lines[-n:])


def discover_programs():
    found = sorted(f[:-3] for f in os.listdir(PROG_DIR)
                   if f.endswith(".py") and not f.startswith("_"))
    ordered = [p for p in PROGRAM_ORDER if p in found]
    return ordered + [p for p in found if p not in ordered]


def cargo_target_dir():
    env = os.environ.get("CARGO_TARGET_DIR")
    if env:
        return env if os.path.isabs(env) else os.path.join(ROOT, env)
    return os.path.join(ROOT, "target")


# --------------------------------------------------------------------------
# running one program once


class Run:
    def __init__(self, ok, wall, rss_kb, stdout, status):
        self.ok = ok            # exited 0 within the timeout
        self.wall = wall        # seconds (None if it never started)
        self.rss_kb = rss_kb    # peak RSS in KiB, or None
        self.stdout = stdout
        self.status = status    # "" or a failure description


def run_once(cmd, timeout):
    """Run cmd in a fresh process; return a Run with wall time and peak RSS."""
    use_time = os.access(TIME_BIN, os.X_OK)
    tmp = tempfile.mkdtemp(prefix="thicket-programs-")
    out_path = os.path.join(tmp, "out")
    err_path = os.path.join(tmp, "err")
    rss_path = os.path.join(tmp, "rss")
    full = ([TIME_BIN, "-f", "%M", "-o", rss_path] + cmd) if use_time else cmd
    try:
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            t0 = time.perf_counter()
            try:
                # own session, so a timeout can kill /usr/bin/time and the program
                proc = subprocess.Popen(full, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=err,
                                        start_new_session=True)
            except OSError as e:
                return Run(False, None, None, "", f"FAILED (cannot start: {e})")
            timed_out = False
            deadline = None if not timeout else t0 + timeout
            ru = None
            while True:
                pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
                if pid != 0:
                    break
                if deadline is not None and time.perf_counter() > deadline:
                    timed_out = True
                    try:
                        os.killpg(proc.pid, 9)
                    except OSError:
                        proc.kill()
                    _, status, ru = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.002)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
        rc = proc.returncode
        with open(out_path, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
        rss_kb = None
        if use_time:
            try:
                with open(rss_path) as f:
                    # last line is %M; earlier ones may be "Command exited ..."
                    lines = [l for l in f.read().split("\n") if l.strip()]
                rss_kb = int(lines[-1])
            except (OSError, ValueError, IndexError):
                rss_kb = None
            # /usr/bin/time reports a failed command as exit status; drop its note
            stderr = "\n".join(l for l in stderr.splitlines()
                               if not l.startswith("Command exited with non-zero status"))
        else:
            rss_kb = ru.ru_maxrss if ru is not None else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if timed_out:
        return Run(False, wall, rss_kb, stdout, f"TIMEOUT ({timeout:g}s)")
    if rc != 0:
        if rc < 0:
            why = f"signal {-rc}"
        elif use_time and rc >= 128 and "signal" in stderr:
            why = f"exit {rc}, killed by signal"
        else:
            why = f"exit {rc}"
        msg = f"FAILED ({why})"
        if stderr.strip():
            msg += "\n" + tail(stderr, 8)
        return Run(False, wall, rss_kb, stdout, msg)
    return Run(True, wall, rss_kb, stdout, "")


# --------------------------------------------------------------------------
# implementations


def build_thicket():
    """cargo build --release; returns "" on success or a failure description."""
    cargo = shutil.which("cargo")
    if not cargo:
        return "FAILED (build: cargo not found)"
    log("building Thicket: cargo build --release ...")
    t0 = time.perf_counter()
    r = subprocess.run([cargo, "build", "--release"], cwd=ROOT,
                       capture_output=True, text=True)
    if r.returncode != 0:
        log(f"  cargo build failed (exit {r.returncode}):")
        log(tail(r.stderr or r.stdout, 20))
        return "FAILED (build)"
    log(f"  built in {time.perf_counter() - t0:.1f}s")
    return ""


def resolve_impls(args):
    """Return {key: (cmd_prefix or None, unavailable_status, version)}."""
    impls = {}
    for key in args.impls:
        if key == "thicket":
            status = ""
            if not args.no_build:
                status = build_thicket()
            binary = os.path.join(cargo_target_dir(), "release", "thicket")
            if not status and not os.access(binary, os.X_OK):
                status = f"MISSING ({os.path.relpath(binary, ROOT)})"
            impls[key] = ([binary, "run"], status, os.path.relpath(binary, ROOT) + " run")
        elif key == "cpython":
            exe = shutil.which(args.cpython)
            if not exe:
                impls[key] = (None, f"MISSING ({args.cpython})", None)
                continue
            ver = first_line([exe, "-c", "import sys, platform; "
                              "print(platform.python_implementation(), sys.version.split()[0])"])
            if ver and not ver.startswith("CPython 3.11"):
                log(f"NOTE: {args.cpython} is {ver}, not CPython 3.11")
            impls[key] = ([exe], "", ver)
        elif key == "pypy":
            exe = shutil.which(args.pypy)
            if not exe:
                log(f"NOTE: {args.pypy} not found; PyPy is skipped "
                    "(install it with `apt-get install -y pypy3`)")
                impls[key] = (None, "SKIPPED (pypy3 not installed)", None)
                continue
            ver = first_line([exe, "-c", "import sys; print('PyPy', "
                              "'.'.join(map(str, sys.pypy_version_info[:3])), "
                              "'(Python', sys.version.split()[0] + ')')"])
            impls[key] = ([exe], "", ver)
    return impls


# --------------------------------------------------------------------------
# reporting


def fmt_secs(x):
    return "-" if x is None else f"{x:.3f}"


def fmt_mib(kb):
    return "-" if kb is None else f"{kb / 1024:.1f}"


def fmt_ratio(x):
    if x is None:
        return "-"
    return f"{x:.2f}x"


def geomean(xs):
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def short_status(st):
    return st.split("\n", 1)[0] if st else "ok"


def output_diff(ref, got, n=12):
    lines = list(difflib.unified_diff(ref.splitlines(), got.splitlines(),
                                      "cpython", "this", lineterm="", n=1))
    out = lines[:n]
    if len(lines) > n:
        out.append("...")
    return "\n".join("    | " + l for l in out)


def print_table(programs, impl_keys, results):
    header = ["program", "implementation", "seconds", "peak RSS MiB",
              "vs CPython", "status"]
    rows = []
    for prog in programs:
        for key in impl_keys:
            r = results[prog][key]
            rows.append([prog, LABELS[key], fmt_secs(r["seconds"]),
                         fmt_mib(r["peak_rss_kb"]), fmt_ratio(r["ratio"]),
                         short_status(r["status"])])
    widths = [max(len(header[i]), max((len(row[i]) for row in rows), default=0))
              for i in range(len(header))]
    right = {2, 3, 4}

    def line(cells):
        parts = []
        for i, c in enumerate(cells):
            parts.append(c.rjust(widths[i]) if i in right else c.ljust(widths[i]))
        return "| " + " | ".join(parts) + " |"

    log(line(header))
    log("|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                       for i, w in enumerate(widths)) + "|")
    for row in rows:
        log(line(row))


# --------------------------------------------------------------------------
# main


def parse_args(argv, programs):
    ap = argparse.ArgumentParser(
        description="Run benches/programs/*.py on Thicket, CPython and PyPy "
                    "and compare wall time, peak RSS and output.",
        epilog="Programs: " + ", ".join(programs) + ". Wall time is the best of "
               "--repeat runs; peak RSS the largest over them. Ratio = "
               "time_cpython / time_impl (> 1: faster than CPython).")
    ap.add_argument("--only", action="append", default=[], metavar="NAME[,NAME]",
                    help="only these programs (repeatable)")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run each program N times, keep the best time (default 1)")
    ap.add_argument("--size", action="append", default=[], metavar="NAME=N",
                    help="pass N as the size argument of program NAME (repeatable, "
                         "or comma-separated); default: the program's own default")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run `cargo build --release` first")
    ap.add_argument("--impls", default="thicket,cpython,pypy", metavar="LIST",
                    help="implementations to run, from thicket,cpython,pypy "
                         "(default all); CPython is always run as the reference")
    ap.add_argument("--timeout", type=float, default=600, metavar="SECS",
                    help="kill a run after SECS seconds, 0 = never (default 600)")
    ap.add_argument("--cpython", default="python3", metavar="CMD",
                    help="CPython command (default python3)")
    ap.add_argument("--pypy", default="pypy3", metavar="CMD",
                    help="PyPy command (default pypy3)")
    ap.add_argument("--json", default=JSON_PATH, metavar="PATH",
                    help="where to write raw results (default benches/out/programs.json)")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 if any selected run fails or mismatches "
                         "(a PyPy that is not installed does not count)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    wanted = [k.strip() for k in args.impls.split(",") if k.strip()]
    bad = [k for k in wanted if k not in IMPL_KEYS]
    if bad:
        ap.error(f"--impls: unknown {', '.join(bad)}; known: {', '.join(IMPL_KEYS)}")
    if "cpython" not in wanted:
        wanted.append("cpython")
    args.impls = [k for k in IMPL_KEYS if k in wanted]

    if args.only:
        names = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
        names = [n[:-3] if n.endswith(".py") else n for n in names]
        bad = [n for n in names if n not in programs]
        if bad:
            ap.error(f"--only: unknown program(s) {', '.join(bad)}; known: {', '.join(programs)}")
        args.programs = [p for p in programs if p in names]
    else:
        args.programs = list(programs)

    args.sizes = {}
    for item in args.size:
        for spec in item.split(","):
            spec = spec.strip()
            if not spec:
                continue
            name, sep, val = spec.partition("=")
            name = name.strip()
            if name.endswith(".py"):
                name = name[:-3]
            if not sep or not val.strip():
                ap.error(f"--size: expected NAME=N, got {spec!r}")
            if name not in programs:
                ap.error(f"--size: unknown program {name!r}; known: {', '.join(programs)}")
            try:
                int(val)
            except ValueError:
                ap.error(f"--size: {spec!r}: N must be an integer")
            args.sizes[name] = val.strip()
    return args


def main(argv=None):
    programs = discover_programs()
    args = parse_args(sys.argv[1:] if argv is None else argv, programs)

    log("Thicket Python-program benchmarks")
    log(f"  machine : nproc={os.cpu_count()}, CPU: {cpu_model()}")
    log(f"  kernel  : {platform.system()} {platform.release()}")
    log(f"  repeat  : {args.repeat} (best wall time; largest peak RSS)")
    if not os.access(TIME_BIN, os.X_OK):
        log(f"  NOTE    : {TIME_BIN} not found; peak RSS falls back to wait4 "
            "ru_maxrss, which includes this runner's RSS as a floor")
    impls = resolve_impls(args)
    for key in args.impls:
        cmd, status, ver = impls[key]
        desc = ver or (" ".join(cmd) if cmd else "")
        log(f"  {key:8}: {desc}{'  [' + short_status(status) + ']' if status else ''}")
    log()

    results = {}
    failed = False
    diffs = []
    for prog in args.programs:
        path = os.path.join(PROG_DIR, prog + ".py")
        size = args.sizes.get(prog)
        argv_ = [size] if size is not None else []
        results[prog] = {}
        for key in args.impls:
            cmd, status, _ = impls[key]
            entry = {"seconds": None, "times": [], "peak_rss_kb": None,
                     "status": status, "ratio": None, "stdout": None}
            results[prog][key] = entry
            if status:
                continue
            log(f"  running {prog}{' ' + size if size else ''} on {LABELS[key]} ...")
            for _ in range(args.repeat):
                r = run_once(cmd + [path] + argv_, args.timeout or None)
                if r.wall is not None:
                    entry["times"].append(round(r.wall, 4))
                if r.rss_kb is not None:
                    entry["peak_rss_kb"] = max(entry["peak_rss_kb"] or 0, r.rss_kb)
                if not r.ok:
                    entry["status"] = r.status
                    entry["stdout"] = r.stdout
                    break
                if entry["stdout"] is None:
                    entry["stdout"] = r.stdout
                elif r.stdout != entry["stdout"]:
                    entry["status"] = "UNSTABLE (output differs between runs)"
                    break
            if not entry["status"] and entry["times"]:
                entry["seconds"] = min(entry["times"])

        ref = results[prog]["cpython"]
        ref_ok = not ref["status"]
        for key in args.impls:
            e = results[prog][key]
            if key == "cpython" or e["status"] or not ref_ok:
                continue
            if e["stdout"] != ref["stdout"]:
                e["status"] = "MISMATCH (stdout differs from CPython)"
                diffs.append((prog, key, output_diff(ref["stdout"], e["stdout"])))
        for key in args.impls:
            e = results[prog][key]
            if e["status"] and not e["status"].startswith("SKIPPED"):
                failed = True
                if "\n" in e["status"]:
                    diffs.append((prog, key, e["status"].split("\n", 1)[1]))
            if not e["status"] and ref_ok and e["seconds"]:
                e["ratio"] = ref["seconds"] / e["seconds"]
    log()

    print_table(args.programs, args.impls, results)
    log()
    log("Geometric mean of the speed ratio vs CPython (time_cpython / time_impl), "
        "over programs that ran correctly:")
    geo = {}
    for key in args.impls:
        ratios = [results[p][key]["ratio"] for p in args.programs
                  if results[p][key]["ratio"] is not None]
        geo[key] = geomean(ratios)
        n = len(args.programs)
        log(f"  {LABELS[key]:8} {fmt_ratio(geo[key]):>8}   ({len(ratios)}/{n} programs)")

    if diffs:
        log()
        log("Details of failures / mismatches:")
        for prog, key, text in diffs:
            log(f"  {prog} on {LABELS[key]}:")
            log(text)

    doc = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_model(),
                    "kernel": f"{platform.system()} {platform.release()}"},
        "repeat": args.repeat,
        "rss_source": "/usr/bin/time %M" if os.access(TIME_BIN, os.X_OK) else "wait4 ru_maxrss",
        "implementations": {k: {"command": impls[k][0], "version": impls[k][2],
                                "status": impls[k][1]} for k in args.impls},
        "programs": {p: {"size": args.sizes.get(p, "default"),
                         "results": results[p]} for p in args.programs},
        "geomean_ratio_vs_cpython": geo,
    }
    try:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        log()
        shown = os.path.abspath(args.json)
        if shown.startswith(ROOT + os.sep):
            shown = os.path.relpath(shown, ROOT)
        log(f"raw results: {shown}")
    except OSError as e:
        log(f"WARNING: cannot write {args.json}: {e}")

    if args.strict and failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
