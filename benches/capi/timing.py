# The C-API workload: loops calling the functions of capibench (capibench.c) and a
# Python loop consuming what they built. Runs unchanged on CPython 3.11, PyPy and
# Thicket; prints "name ns_per_op" lines and a check line (equal on all three).
#
#   python3 timing.py [N [NAME...]]   (the module must be importable: PYTHONPATH or
#                                     THICKETPATH; NAMEs select benchmarks)
import sys
import time
import capibench

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
INNER = 2  # each loop runs twice in the process; the faster run counts (JIT warm-up)
# The list, dict and consume benchmarks build containers of N // BULK items (Thicket
# links every int C makes to a proxy while it lives; its link table holds 4M objects).
BULK = 4


def b_loop(n):
    t0 = time.perf_counter()
    for i in range(n):
        pass
    return time.perf_counter() - t0, n, 0


def b_noargs(n):
    f = capibench.noargs
    t0 = time.perf_counter()
    for i in range(n):
        f()
    return time.perf_counter() - t0, n, f() is None


def b_one(n):
    f = capibench.one
    t0 = time.perf_counter()
    for i in range(n):
        f(i)
    return time.perf_counter() - t0, n, f(n)


def b_three(n):
    f = capibench.three
    t0 = time.perf_counter()
    for i in range(n):
        f(i, 2, 3)
    return time.perf_counter() - t0, n, f(n, 2, 3)


def b_tuple10(n):
    f = capibench.tuple10
    m = n // 10
    t0 = time.perf_counter()
    for i in range(m):
        f(i)
    return time.perf_counter() - t0, m, sum(f(m))


def b_list_append(n):
    n = n // BULK
    t0 = time.perf_counter()
    lst = capibench.list_append(n)
    return time.perf_counter() - t0, n, len(lst)


def b_dict_set(n):
    n = n // BULK
    t0 = time.perf_counter()
    d = capibench.dict_set(n)
    return time.perf_counter() - t0, n, len(d)


def b_consume(n):
    # Built outside the timed part: the list and dict C made, and C-made tuples.
    n = n // BULK
    lst = capibench.list_append(n)
    d = capibench.dict_set(n)
    tuples = [capibench.tuple10(i) for i in range(n // 10)]
    t0 = time.perf_counter()
    s = 0
    for x in lst:
        s += x
    for v in d.values():
        s += v
    for t in tuples:
        for x in t:
            s += x
    return time.perf_counter() - t0, 3 * n, s


BENCHES = [
    ("loop", b_loop),
    ("noargs", b_noargs),
    ("one", b_one),
    ("three", b_three),
    ("tuple10", b_tuple10),
    ("list_append", b_list_append),
    ("dict_set", b_dict_set),
    ("consume", b_consume),
]

ONLY = sys.argv[2:]
checks = []
for name, fn in BENCHES:
    if ONLY and name not in ONLY:
        continue
    best = None
    for _ in range(INNER):
        dt, ops, chk = fn(N)
        ns = dt * 1e9 / ops
        best = ns if best is None or ns < best else best
    checks.append(str(chk))
    print("%s %.2f" % (name, best))
print("check " + ",".join(checks))
