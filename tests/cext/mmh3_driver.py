# Differential driver for mmh3 5.3.1 (MurmurHash3): METH_FASTCALL|METH_KEYWORDS module
# functions with str/bytes/bytearray/memoryview-free buffers, signed/unsigned and 64- and
# 128-bit results (big ints through _PyLong_FromByteArray), the digest functions, and the
# three static hasher types (tp_new/tp_init with keywords, tp_dealloc/tp_free, methods,
# getsets, copy). Output must be identical on CPython 3.11 and Thicket.
import mmh3


def attempt(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "raises", type(e).__name__, str(e))


inputs = ["", "foo", "Hello, world!", "日本語テキスト", "x" * 1000, b"", b"\x00\xff" * 37]
seeds = [0, 1, 42, 2**31 - 1, 2**32 - 1]

for data in inputs:
    for seed in seeds:
        print(mmh3.hash(data, seed), mmh3.hash(data, seed, signed=False),
              mmh3.hash64(data, seed), mmh3.hash64(data, seed, True, False),
              mmh3.hash128(data, seed), mmh3.hash128(data, seed, False, True),
              mmh3.hash_bytes(data, seed).hex(), mmh3.hash_bytes(data, seed, x64arch=False).hex())
print(mmh3.hash("key", seed=7, signed=True), mmh3.hash(key="kw", seed=3))
print(mmh3.hash_from_buffer(b"buffer", 5), mmh3.hash_from_buffer(bytearray(b"ba"), signed=False))

for data in [b"", b"abc", b"\x01" * 100]:
    for seed in [0, 9, 2**32 - 1]:
        print(mmh3.mmh3_32_digest(data, seed).hex(), mmh3.mmh3_32_sintdigest(data, seed),
              mmh3.mmh3_32_uintdigest(data, seed), mmh3.mmh3_x64_128_digest(data, seed).hex(),
              mmh3.mmh3_x64_128_sintdigest(data, seed), mmh3.mmh3_x64_128_uintdigest(data, seed),
              mmh3.mmh3_x64_128_stupledigest(data, seed), mmh3.mmh3_x64_128_utupledigest(data, seed),
              mmh3.mmh3_x86_128_digest(data, seed).hex(), mmh3.mmh3_x86_128_sintdigest(data, seed),
              mmh3.mmh3_x86_128_uintdigest(data, seed), mmh3.mmh3_x86_128_stupledigest(data, seed),
              mmh3.mmh3_x86_128_utupledigest(data, seed))

# Errors.
attempt("hash()", lambda: mmh3.hash())
attempt("hash(1)", lambda: mmh3.hash(1))
attempt("hash('a', -1)", lambda: mmh3.hash("a", -1))
attempt("hash('a', 2**32)", lambda: mmh3.hash("a", 2**32))
attempt("hash('a', 'b')", lambda: mmh3.hash("a", "b"))
attempt("hash('a', 0, True, 1)", lambda: mmh3.hash("a", 0, True, 1))
attempt("hash('a', bogus=1)", lambda: mmh3.hash("a", bogus=1))
attempt("hash(bytearray)", lambda: mmh3.hash(bytearray(b"rw")))
attempt("hash64(None)", lambda: mmh3.hash64(None))
attempt("hash128([])", lambda: mmh3.hash128([]))
attempt("mmh3_32_digest('s', 0)", lambda: mmh3.mmh3_32_digest("s", 0))
attempt("mmh3_32_digest(b'a')", lambda: mmh3.mmh3_32_digest(b"a"))
attempt("mmh3_32_digest(b'a', -5)", lambda: mmh3.mmh3_32_digest(b"a", -5))

# Hasher objects.
for cls in [mmh3.mmh3_32, mmh3.mmh3_x64_128, mmh3.mmh3_x86_128]:
    print(cls.__name__, cls.__module__)
    h = cls()
    print(h.name, h.digest_size, h.block_size, h.digest().hex(), h.sintdigest(), h.uintdigest())
    h.update(b"Hello")
    h.update(bytearray(b", "))
    h.update(b"world!")
    g = h.copy()
    g.update(b" more")
    print(h.digest().hex(), h.sintdigest(), h.uintdigest(), g.digest().hex(), g.uintdigest())
    if hasattr(h, "stupledigest"):
        print(h.stupledigest(), h.utupledigest())
    seeded = cls(b"Hello, world!", 42)
    kw = cls(data=b"Hello, world!", seed=42)
    print(seeded.digest() == kw.digest(), seeded.uintdigest(), cls(seed=3).uintdigest())
    attempt("update(str)", lambda: h.update("text"))
    attempt("update(1)", lambda: h.update(1))
    attempt("ctor(seed=-1)", lambda: cls(b"x", -1))
    attempt("ctor(bogus=1)", lambda: cls(bogus=1))
    attempt("set name", lambda: setattr(h, "name", "x"))
    # Incremental hashing agrees with one-shot hashing at every split point.
    data = bytes(range(256)) * 3
    ok = True
    for cut in range(0, len(data), 37):
        a = cls(seed=7)
        a.update(data[:cut])
        a.update(data[cut:])
        b = cls(data, 7)
        ok = ok and a.digest() == b.digest()
    print("split points agree:", ok)


# The hasher types are final (no Py_TPFLAGS_BASETYPE).
try:
    class Tagged(mmh3.mmh3_32):
        pass
    print("subclassed")
except TypeError as e:
    print("TypeError", e)

# Many hashers alive at once, moved and collected.
hs = [mmh3.mmh3_x64_128(b"%d" % i, i) for i in range(3000)]
print(sum(h.uintdigest() for h in hs) % 1000003)
hs = None
print(mmh3.hash("done"))
