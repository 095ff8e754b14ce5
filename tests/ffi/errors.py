# Errors are Python exceptions: stale and made-up handles, bad declarations, bad calls.
import gc
import cffi
from cffi import FFI

ffi = FFI()


def show(f):
    try:
        r = f()
        print("no error:", r)
    except Exception as e:
        print(type(e).__name__ + ":", e)


class Obj:
    pass


def dead_handle_address():
    h = ffi.new_handle(Obj())
    print(type(ffi.from_handle(h)).__name__)
    return int(ffi.cast("uintptr_t", h))


addr = dead_handle_address()
for _ in range(3):
    gc.collect()
print("open handles:", cffi.open_handles())
# The handle cdata died: its slot was freed, perhaps reused; the old pointer is refused.
others = [ffi.new_handle(Obj()) for _ in range(5)]
stale = ffi.cast("void *", addr)
show(lambda: ffi.from_handle(stale))
show(lambda: ffi.from_handle(ffi.cast("void *", 12345)))
show(lambda: ffi.from_handle(ffi.cast("void *", 0x7f0000001000)))
show(lambda: ffi.from_handle(ffi.NULL))
show(lambda: ffi.from_handle(ffi.cast("void *", int(ffi.cast("uintptr_t", others[0])) + 8)))
print(type(ffi.from_handle(others[4])).__name__)

show(lambda: ffi.cdef("foo_t f(int);"))
show(lambda: ffi.cdef("int f(int"))
show(lambda: ffi.new("int"))
show(lambda: ffi.new("unsigned char *", 300))
show(lambda: ffi.new("int[2]", [1, 2, 3]))
show(lambda: ffi.dlopen("libdoesnotexist_thicket.so"))
ffi.cdef("size_t strlen(const char *s);")
C = ffi.dlopen(None)
show(lambda: C.strlen(5))
show(lambda: C.strlen())
show(lambda: C.no_such_function)
a = ffi.new("int[3]")
show(lambda: a[3])
p = ffi.new("int *")
show(lambda: len(p))
