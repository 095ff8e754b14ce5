#!/usr/bin/env python3
# compare.py -- Thicket benchmark-comparison runner (baselines in benches/compare/).
"""compare.py -- Thicket benchmark-comparison runner.

Builds the Thicket example programs (binary_trees, gcbench) and the baselines
in benches/compare/ (C malloc/free, C + Boehm GC, Rust Box), runs each
workload on every implementation one after the other, and prints per-workload
tables of wall time and peak RSS with ratios relative to Thicket
(ratio = other / thicket, so a ratio > 1 means Thicket is faster / smaller).

Builds go to benches/out/ (gitignored); Thicket binaries come from
`cargo build --release -p thicket-gc --example binary_trees --example gcbench`.
A Thicket (or baseline) program that is missing, fails to build or exits
non-zero is reported as FAILED in its row. Outputs of all implementations of
a workload are compared and a WARNING line is printed when they differ.

Peak RSS is ru_maxrss from os.wait4() on the benchmark's pid. Linux folds
the RSS of the image a process had when it called exec into its ru_maxrss,
so a program spawned straight from this Python runner could never read below
~15 MiB. The runner therefore makes itself a child subreaper and starts each
program through a tiny /bin/sh that backgrounds it and exits; the program is
reparented to the runner, which wait4()s on it directly (floor ~1 MiB). The
floor actually in effect is printed in the header; readings at or below it
are upper bounds and are marked with "<=".

Python 3 standard library only.

Examples:
    python3 benches/compare.py
    python3 benches/compare.py --repeat 3
    python3 benches/compare.py --only binary_trees_18,gcbench --depths 18,21
"""

import argparse
import difflib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC_DIR = os.path.join(ROOT, "benches", "compare")
OUT_DIR = os.path.join(ROOT, "benches", "out")

PROGRAMS = ("binary_trees", "gcbench")

# (key, label) in table order; Thicket first, it is the reference for ratios.
IMPLS = (
    ("thicket", "Thicket"),
    ("malloc", "C malloc/free"),
    ("boehm", "C Boehm GC"),
    ("box", "Rust Box"),
)

APT_HINT = "apt-get install -y libgc-dev"


# --------------------------------------------------------------------------
# helpers


def log(msg=""):
    print(msg, flush=True)


def first_line(cmd):
    """First line of a command's output, or None if it cannot be run."""
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (r.stdout or r.stderr).strip()
    if r.returncode != 0 or not text:
        return None
    return text.splitlines()[0]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc():
    n = first_line(["nproc"])
    return n if n else str(os.cpu_count() or "?")


def libgc_version():
    v = first_line(["pkg-config", "--modversion", "bdw-gc"])
    if v:
        return v
    v = first_line(["dpkg-query", "-W", "-f=${Version}", "libgc-dev"])
    return v or "unknown"


def tail(text, n=15):
    lines = text.strip().splitlines()
    if len(lines) > n:
        lines = ["..."] + lines[-n:]
    return "\n".join("    | " + l for l in lines)


def run_build(desc, cmd):
    """Run a build command; return True on success, printing errors otherwise."""
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    except OSError as e:
        log(f"  build {desc}: FAILED ({e})")
        return False
    if r.returncode != 0:
        log(f"  build {desc}: FAILED (exit {r.returncode}): {' '.join(cmd)}")
        log(tail(r.stderr + r.stdout))
        return False
    if r.stderr.strip() and cmd[0] != "cargo":
        log(f"  build {desc}: warnings:")
        log(tail(r.stderr, 40))
    return True


def have_gc_header():
    """True if gcc can preprocess `#include <gc.h>`."""
    try:
        r = subprocess.run(
            ["gcc", "-E", "-x", "c", "-", "-o", os.devnull],
            input="#include <gc.h>\n",
            capture_output=True,
            text=True,
        )
    except OSError:
        return False
    return r.returncode == 0


def cargo_target_dir():
    try:
        r = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if r.returncode == 0:
            return json.loads(r.stdout)["target_directory"]
    except (OSError, ValueError, KeyError):
        pass
    return os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")


# --------------------------------------------------------------------------
# building


def build_all(programs):
    """Build what the selected workloads need.

    Returns {(program, impl): path-or-status}, where a status is a string
    starting with "FAILED" or "SKIPPED" instead of a path.
    """
    os.makedirs(OUT_DIR, exist_ok=True)
    bins = {}
    log("Building:")

    # Thicket examples via cargo. Try them together first (one cargo run);
    # if that fails, build each alone so one broken example does not hide
    # a working one.
    tdir = cargo_target_dir()
    ex = [a for p in programs for a in ("--example", p)]
    base = ["cargo", "build", "--release", "-p", "thicket-gc"]
    log(f"  {' '.join(base + ex)} (slow on a first run)")
    if run_build("thicket " + ",".join(programs), base + ex):
        ok = {p: True for p in programs}
    elif len(programs) > 1:
        ok = {p: run_build("thicket " + p, base + ["--example", p]) for p in programs}
    else:
        ok = {programs[0]: False}
    for p in programs:
        path = os.path.join(tdir, "release", "examples", p)
        if not ok[p]:
            bins[(p, "thicket")] = "FAILED (build)"
        elif not os.access(path, os.X_OK):
            bins[(p, "thicket")] = "FAILED (no binary)"
        else:
            bins[(p, "thicket")] = path

    gc_ok = have_gc_header()
    if not shutil.which("gcc"):
        log("  NOTE: gcc not found -- the C baselines cannot be built.")
    elif not gc_ok:
        log(
            "  NOTE: <gc.h> not found -- the Boehm GC baselines are skipped. "
            f"Install the headers with: {APT_HINT}"
        )

    for p in programs:
        for impl in ("malloc", "boehm"):
            out = os.path.join(OUT_DIR, f"{p}_{impl}")
            if not shutil.which("gcc"):
                bins[(p, impl)] = "FAILED (gcc not found)"
                continue
            if impl == "boehm" and not gc_ok:
                bins[(p, impl)] = f"SKIPPED (no gc.h: {APT_HINT})"
                continue
            cmd = ["gcc", "-O2", "-Wall", "-Wextra", "-o", out,
                   os.path.join(SRC_DIR, f"{p}_{impl}.c")]
            if impl == "boehm":
                cmd.append("-lgc")
            bins[(p, impl)] = out if run_build(f"{p}_{impl}", cmd) else "FAILED (build)"

        out = os.path.join(OUT_DIR, f"{p}_box")
        # Run from ROOT so rustup picks the toolchain pinned in
        # rust-toolchain.toml, the same one that builds Thicket.
        cmd = ["rustc", "-C", "opt-level=3", "-C", "codegen-units=1", "-o", out,
               os.path.join(SRC_DIR, f"{p}_box.rs")]
        bins[(p, "box")] = out if run_build(f"{p}_box", cmd) else "FAILED (build)"

    log()
    return bins


# --------------------------------------------------------------------------
# running


class RunResult:
    def __init__(self, ok, wall, rss_kb, stdout, status):
        self.ok = ok            # exited 0
        self.wall = wall        # seconds
        self.rss_kb = rss_kb    # ru_maxrss, KiB on Linux
        self.stdout = stdout
        self.status = status    # "" or a failure description


def _enable_subreaper():
    """Make this process a child subreaper (Linux prctl), so that orphaned
    grandchildren are reparented to it and can be wait4()ed. Returns success."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


SH = shutil.which("sh")
# Launch mode, decided in main(): "sh" or "direct".
#
# ru_maxrss of a process is at least the RSS of the memory image it had when
# it called exec -- for a child of this runner, the Python interpreter's
# (~15 MiB). To keep that out of the measurement, the benchmark is started
# by a small /bin/sh, which backgrounds it and exits at once; the benchmark
# is reparented to this (subreaper) process, and os.wait4() on its pid gives
# its own wall time and peak RSS with only the shell's ~1 MiB as floor.
# Without prctl or sh, the program is spawned directly (higher floor).
LAUNCH = "direct"
_SH_LAUNCHER = 'o=$1; e=$2; shift 2; "$@" </dev/null >"$o" 2>"$e" & echo $!'


def _spawn(cmd, out_path, err_path):
    """Start cmd with stdout/stderr going to the given files; return its pid."""
    if LAUNCH == "sh":
        sh = subprocess.Popen([SH, "-c", _SH_LAUNCHER, "sh", out_path, err_path] + cmd,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
        line = sh.stdout.read()
        sh.stdout.close()
        sh.wait()
        return int(line.strip())
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    # We reap it ourselves with os.wait4; stop Popen from trying to.
    proc.returncode = 0
    return proc.pid


def run_once(cmd, timeout):
    """Run cmd, returning RunResult with wall time and ru_maxrss via wait4."""
    fd_out, out_path = tempfile.mkstemp(prefix="compare-out-")
    fd_err, err_path = tempfile.mkstemp(prefix="compare-err-")
    os.close(fd_out)
    os.close(fd_err)
    try:
        t0 = time.perf_counter()
        try:
            pid = _spawn(cmd, out_path, err_path)
        except (OSError, ValueError) as e:
            return RunResult(False, None, None, "", f"FAILED (cannot start: {e})")
        timed_out = threading.Event()
        reaped = threading.Event()

        def kill():
            if not reaped.is_set():
                timed_out.set()
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            while True:
                try:
                    _, status, ru = os.wait4(pid, 0)
                    break
                except InterruptedError:
                    continue
        except ChildProcessError:
            return RunResult(False, None, None, "", "FAILED (lost track of the child)")
        finally:
            reaped.set()
            if timer:
                timer.cancel()
        wall = time.perf_counter() - t0
        rc = os.waitstatus_to_exitcode(status)
        with open(out_path, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
    finally:
        for path in (out_path, err_path):
            try:
                os.unlink(path)
            except OSError:
                pass

    if timed_out.is_set():
        return RunResult(False, wall, ru.ru_maxrss, stdout, f"FAILED (timeout {timeout:g}s)")
    if rc != 0:
        why = f"signal {-rc}" if rc < 0 else f"exit {rc}"
        msg = f"FAILED ({why})"
        if stderr.strip():
            msg += "\n" + tail(stderr, 8)
        return RunResult(False, wall, ru.ru_maxrss, stdout, msg)
    return RunResult(True, wall, ru.ru_maxrss, stdout, "")


def rss_floor_kb():
    """ru_maxrss of a trivial child: what this runner contributes to every reading."""
    true = shutil.which("true") or "/bin/true"
    r = run_once([true], None)
    return r.rss_kb if r.rss_kb is not None else 0


def fmt_ratio(x, ref):
    if x is None or ref is None or ref <= 0:
        return "n/a"
    return f"{x / ref:.2f}"


def report_workload(name, results, floor_kb):
    """results: list of (label, status-or-None, best_wall, max_rss_kb)."""
    ref_wall = ref_rss = None
    if results and results[0][1] is None:
        ref_wall, ref_rss = results[0][2], results[0][3]

    hdr = ("implementation", "wall s", "peak RSS MiB", "time/thicket", "RSS/thicket")
    rows = []
    notes = []
    marked = False
    for label, status, wall, rss in results:
        if status is not None:
            first, *rest = status.split("\n")
            rows.append((label, first))
            if rest:
                notes.append(f"  {label}: {first}\n" + "\n".join(rest))
            continue
        rss_txt = f"{rss / 1024:.1f}"
        if floor_kb and rss <= floor_kb * 1.05:
            rss_txt = "<=" + rss_txt
            marked = True
        rows.append((label, f"{wall:.3f}", rss_txt, fmt_ratio(wall, ref_wall),
                     fmt_ratio(rss, ref_rss)))

    # Failed/skipped rows are (label, status); their status text is printed
    # from the first number column on and does not set the column widths.
    full = [r for r in rows if len(r) == len(hdr)] + [hdr]
    widths = [max(len(str(r[i])) for r in full) for i in range(len(hdr))]
    widths[0] = max(widths[0], max(len(r[0]) for r in rows))

    def line(cells):
        if len(cells) != len(hdr):
            return "  " + cells[0].ljust(widths[0]) + "  " + cells[1]
        parts = [str(cells[0]).ljust(widths[0])]
        parts += [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "  " + "  ".join(parts).rstrip()

    log(f"== {name} ==")
    log(line(hdr))
    log("  " + "  ".join("-" * w for w in widths))
    for r in rows:
        log(line(r))
    if marked:
        log(f"  (<= : at the {floor_kb / 1024:.1f} MiB RSS floor; the true peak may be lower)")
    for n in notes:
        log(n)
    log()


def check_outputs(name, outputs):
    """outputs: list of (label, stdout) for the implementations that ran.

    The output most implementations agree on is the reference (the earliest
    in table order on a tie); each one that differs gets a WARNING line and
    a short diff. Returns True if any differed.
    """
    if len(outputs) < 2:
        return False
    groups = {}
    for label, out in outputs:
        groups.setdefault(out, []).append(label)
    ref_out = max(groups, key=lambda o: len(groups[o]))  # first max wins
    ref_labels = groups[ref_out]
    ref_desc = ref_labels[0]
    if len(ref_labels) > 1:
        ref_desc += " (same as " + ", ".join(ref_labels[1:]) + ")"
    mismatch = False
    for label, out in outputs:
        if out == ref_out:
            continue
        mismatch = True
        log(f"WARNING: {name}: output of {label} differs from {ref_desc}")
        diff = difflib.unified_diff(ref_out.splitlines(), out.splitlines(),
                                    ref_labels[0], label, lineterm="", n=1)
        for i, l in enumerate(diff):
            if i >= 12:
                log("    | ...")
                break
            log("    | " + l)
    return mismatch


# --------------------------------------------------------------------------
# main


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Compare Thicket against malloc/free, Boehm GC and Rust Box "
                    "on binary-trees and a GCBench-style workload.",
        epilog="Wall time is the best of --repeat runs; peak RSS is the largest "
               "ru_maxrss seen over those runs.",
    )
    ap.add_argument("--repeat", type=int, default=1, metavar="K",
                    help="run each program K times, report the best wall time (default 1)")
    ap.add_argument("--depths", default="18,21", metavar="D1,D2",
                    help="binary-trees depths (default 18,21)")
    ap.add_argument("--only", default=None, metavar="W1,W2",
                    help="only these workloads, e.g. binary_trees_18,gcbench")
    ap.add_argument("--timeout", type=float, default=900, metavar="SECS",
                    help="kill a run after SECS seconds, 0 = never (default 900)")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 if any run fails or outputs differ "
                         "(skipped Boehm builds do not count)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    try:
        depths = [int(d) for d in args.depths.split(",") if d.strip()]
    except ValueError:
        ap.error(f"--depths: not a comma-separated list of integers: {args.depths!r}")
    if not depths or any(d < 0 or d > 30 for d in depths):
        ap.error("--depths: need at least one depth, each in 0..30")

    workloads = [(f"binary_trees_{d}", "binary_trees", [str(d)]) for d in depths]
    workloads.append(("gcbench", "gcbench", []))
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        known = {w[0] for w in workloads}
        bad = [w for w in wanted if w not in known]
        if bad:
            ap.error(f"--only: unknown workload(s) {', '.join(bad)}; known: "
                     f"{', '.join(w[0] for w in workloads)} (binary-trees depths "
                     "come from --depths)")
        workloads = [w for w in workloads if w[0] in wanted]
    args.workloads = workloads
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    log("Thicket benchmark comparison")
    log(f"  machine : nproc={nproc()}, CPU: {cpu_model()}")
    log(f"  kernel  : {platform.system()} {platform.release()}")
    log(f"  gcc     : {first_line(['gcc', '--version']) or 'not found'}")
    log(f"  rustc   : {first_line(['rustc', '--version']) or 'not found'}")
    log(f"  cargo   : {first_line(['cargo', '--version']) or 'not found'}")
    log(f"  libgc   : {libgc_version()}")
    log(f"  python  : {platform.python_version()}")
    log(f"  repeat  : {args.repeat} (best wall time; largest peak RSS)")
    log()

    programs = tuple(p for p in PROGRAMS if any(w[1] == p for w in args.workloads))
    bins = build_all(programs)

    global LAUNCH
    if SH and _enable_subreaper():
        LAUNCH = "sh"
        how = "launched via /bin/sh, reparented to this runner"
    else:
        how = "spawned directly; includes this Python runner's RSS"
    floor = rss_floor_kb()
    log(f"RSS floor: {floor / 1024:.1f} MiB (ru_maxrss of `true`, {how})")
    log()

    failed = mismatch = False
    for name, prog, argv_ in args.workloads:
        impls = [(key, label, bins[(prog, key)]) for key, label in IMPLS]
        best = {key: None for key, _, _ in impls}     # (wall, rss, stdout)
        status = {}
        for key, _, path in impls:
            if not os.path.isabs(path):
                status[key] = path
        for rnd in range(args.repeat):
            log(f"  running {name} round {rnd + 1}/{args.repeat} ...")
            for key, label, path in impls:
                if key in status:
                    continue
                r = run_once([path] + argv_, args.timeout or None)
                if not r.ok:
                    status[key] = r.status
                    continue
                prev = best[key]
                if prev is None:
                    best[key] = (r.wall, r.rss_kb, r.stdout)
                else:
                    if r.stdout != prev[2]:
                        log(f"WARNING: {name}: {label} printed different output "
                            f"in round {rnd + 1} than in round 1")
                        mismatch = True
                    best[key] = (min(prev[0], r.wall), max(prev[1], r.rss_kb), prev[2])
        log()

        rows, outputs = [], []
        for key, label, _ in impls:
            st = status.get(key)
            if st is not None:
                if not st.startswith("SKIPPED"):
                    failed = True
                rows.append((label, st, None, None))
            else:
                wall, rss, out = best[key]
                rows.append((label, None, wall, rss))
                outputs.append((label, out))
        report_workload(name, rows, floor)
        if check_outputs(name, outputs):
            mismatch = True
            log()

    if args.strict and (failed or mismatch):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
