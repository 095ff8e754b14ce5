# Differential driver: crc32c 2.9.post0's C module (_crc32c, multi-phase init with
# module state): checksums of known vectors over bytes and bytearray of several sizes
# (above 32 KiB the GIL is released), incremental values, every keyword, argument
# errors, the function objects' attributes, and the deprecated crc32 alias, whose
# DeprecationWarning (PyErr_WarnEx) is recorded, raised, ignored, filtered by message
# and module, and shown by the default filters once per line of __main__.
import warnings
import _crc32c

print(_crc32c.__name__, _crc32c.__doc__)
print(sorted(n for n in dir(_crc32c) if not n.startswith("__")))
print("hardware_based", type(_crc32c.hardware_based).__name__, "big_endian", _crc32c.big_endian)
for f in (_crc32c.crc32c, _crc32c.crc32):
    print(repr(f), f.__name__, f.__qualname__, f.__module__, f.__self__ is _crc32c, f.__doc__)
crc = _crc32c.crc32c

vectors = [
    b"", b"a", b"abc", b"123456789", b"message digest", b"\x00" * 32, b"\xff" * 32,
    bytes(range(256)), b"The quick brown fox jumps over the lazy dog",
    b"x" * 1000, bytes(i * 7 % 256 for i in range(40000)),
]
for v in vectors:
    print(len(v), hex(crc(v)), crc(v) == crc(bytearray(v)))

# Incremental: value= continues a checksum.
data = bytes(range(200)) * 300
for cut in (0, 1, 7, 100, 32768, len(data)):
    a, b = data[:cut], data[cut:]
    print("cut", cut, crc(b, crc(a)) == crc(data), crc(b, value=crc(a)) == crc(data))
acc = 0
for i in range(0, len(data), 4096):
    acc = crc(data[i:i + 4096], acc)
print("chunks", hex(acc), acc == crc(data))

# Every GIL release mode gives the same result.
big = bytes(i % 251 for i in range(100000))
print("modes", [hex(crc(big, gil_release_mode=m)) for m in (-1, 0, 1, 5, -7)])
print("modes small", [hex(crc(b"abc", 0, m)) for m in (-1, 0, 1)])
print("kw", hex(crc(data=b"abc")), hex(crc(b"def", value=123)), hex(crc(value=1, data=b"x", gil_release_mode=1)))

# Unsigned 32-bit value: masked, as the "I" format does.
for value in (0, 1, 0xFFFFFFFF, -1, 2**32, 2**40 + 5, True):
    print("value", value, hex(crc(b"abc", value)))

errors = [
    lambda: crc(),
    lambda: crc("text"),
    lambda: crc(None),
    lambda: crc(12),
    lambda: crc([1, 2]),
    lambda: crc(b"a", 1, 2, 3),
    lambda: crc(b"a", "1"),
    lambda: crc(b"a", 1.5),
    lambda: crc(b"a", 0, 2**31),
    lambda: crc(b"a", 0, "x"),
    lambda: crc(b"a", bogus=1),
    lambda: crc(b"a", data=b"b"),
    lambda: crc(value=1),
    lambda: crc(b"a", value=None),
]
for i, call in enumerate(errors):
    try:
        print("no error?", i, call())
    except (TypeError, ValueError, OverflowError) as e:
        print("error", i, type(e).__name__, e)

# The deprecated alias: same results, and a DeprecationWarning each call.
with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("always")
    r1 = _crc32c.crc32(b"123456789")
    r2 = _crc32c.crc32(b"456", _crc32c.crc32(b"123"), gil_release_mode=0)
print("crc32", hex(r1), r2 == crc(b"123456"), len(log))
for w in log:
    print(" ", w.category.__name__, w.message, type(w.message).__name__,
          w.filename.endswith("crc32c_driver.py"), w.lineno)
with warnings.catch_warnings():
    warnings.simplefilter("error", DeprecationWarning)
    try:
        _crc32c.crc32(b"abc")
    except DeprecationWarning as e:
        print("raised", type(e).__name__, e)
with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("ignore")
    print("ignored", hex(_crc32c.crc32(b"abc")), log)
with warnings.catch_warnings(record=True) as log:
    warnings.filterwarnings("error", message="crc32c.crc32 will", category=DeprecationWarning)
    try:
        _crc32c.crc32(b"abc")
    except DeprecationWarning as e:
        print("raised by message filter", e.args)
    warnings.filterwarnings("ignore", module="__main__")
    print("ignored by module filter", _crc32c.crc32(b"a") == crc(b"a"), log)
try:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _crc32c.crc32("not bytes")
except Exception as e:
    print("warning first", type(e).__name__)

# The default filters: shown once per line of __main__.
shown = []


def show(message, category, filename, lineno, file=None, line=None):
    shown.append((category.__name__, str(message), lineno))


warnings.showwarning = show
for _ in range(3):
    _crc32c.crc32(b"loop")
_crc32c.crc32(b"other line")


def from_function():
    return _crc32c.crc32(b"in a function")


from_function()
from_function()
for s in shown:
    print("shown", s)
