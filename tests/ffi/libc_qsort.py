# qsort from libc sorting handles to Python objects, compared through an ffi.callback
# that reaches the objects with ffi.from_handle; strlen and memcpy. Prints values that
# the test compares with CPython's sorted() and len().
import sys
from cffi import FFI

ffi = FFI()
ffi.cdef("""
    typedef int (*cmp_t)(const void *, const void *);
    void qsort(void *base, size_t nmemb, size_t size, cmp_t compar);
    size_t strlen(const char *s);
    void *memcpy(void *dest, const void *src, size_t n);
""")
C = ffi.dlopen(None)


class Item:
    def __init__(self, key, name):
        self.key = key
        self.name = name


n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
seed = 12345
items = []
for i in range(n):
    seed = (seed * 1103515245 + 12345) % 2147483648
    items.append(Item(seed % 1000, "item%d" % i))

handles = [ffi.new_handle(it) for it in items]
arr = ffi.new("void *[]", handles)
calls = [0]


@ffi.callback("int(const void *, const void *)")
def compare(pa, pb):
    calls[0] += 1
    a = ffi.from_handle(ffi.cast("void **", pa)[0])
    b = ffi.from_handle(ffi.cast("void **", pb)[0])
    # Allocate in the callback so that collections run inside qsort.
    ka = (a.key, a.name)
    kb = (b.key, b.name)
    return (ka > kb) - (ka < kb)


C.qsort(arr, n, ffi.sizeof("void *"), compare)
out = [ffi.from_handle(arr[i]) for i in range(n)]
print("sorted:", ",".join("%d:%s" % (it.key, it.name) for it in out))
print("callback called:", calls[0] > 0)

words = [b"", b"a", b"hello", b"thicket ffi bridge" * 10]
print("strlen:", [C.strlen(w) for w in words])
buf = ffi.new("char[]", 64)
src = b"copied through memcpy"
C.memcpy(buf, src, len(src) + 1)
print("memcpy:", ffi.string(buf))
nums = ffi.new("long[4]", [10, -20, 30, -40])
dst = ffi.new("long[4]")
C.memcpy(dst, nums, ffi.sizeof(nums))
print("longs:", [dst[i] for i in range(4)])
