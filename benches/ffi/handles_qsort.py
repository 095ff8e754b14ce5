# The ffi workload: a loop of new_handle/from_handle, and libc's qsort sorting handles
# with a callback that reaches the objects through from_handle. Runs on CPython (with
# cffi), PyPy and Thicket; prints its own timings and a check value.
import sys
import time
from cffi import FFI

ffi = FFI()
ffi.cdef("""
    void qsort(void *base, size_t nmemb, size_t size,
               int (*compar)(const void *, const void *));
""")
C = ffi.dlopen(None)

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
M = int(sys.argv[2]) if len(sys.argv) > 2 else 100000


class Item:
    def __init__(self, key):
        self.key = key


def handles_loop(n):
    o = Item(1)
    total = 0
    for i in range(n):
        h = ffi.new_handle(o)
        total += ffi.from_handle(h).key
    return total


def qsort_items(m):
    seed = 42
    items = []
    for i in range(m):
        seed = (seed * 1103515245 + 12345) % 2147483648
        items.append(Item(seed))
    handles = [ffi.new_handle(it) for it in items]
    arr = ffi.new("void *[]", handles)

    @ffi.callback("int(const void *, const void *)")
    def cmp(pa, pb):
        a = ffi.from_handle(ffi.cast("void **", pa)[0]).key
        b = ffi.from_handle(ffi.cast("void **", pb)[0]).key
        return (a > b) - (a < b)

    C.qsort(arr, m, ffi.sizeof("void *"), cmp)
    keys = [ffi.from_handle(arr[i]).key for i in range(m)]
    return keys == sorted(it.key for it in items)


t0 = time.perf_counter()
total = handles_loop(N)
t1 = time.perf_counter()
ok = qsort_items(M)
t2 = time.perf_counter()
print("handles_ns %.1f" % ((t1 - t0) / N * 1e9))
print("qsort_ms %.1f" % ((t2 - t1) * 1e3))
print("check %d %s" % (total, ok))
