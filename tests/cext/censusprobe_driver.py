# Driver for censusprobe.c: each census C-API function with normal and error cases;
# the output must be the same on CPython 3.11 and Thicket.
import censusprobe as cp


def show(label, f, *args):
    try:
        r = f(*args)
    except SystemError:
        # (CPython's bad-internal-call message names its own source file and line.)
        print(label, "-> SystemError")
    except Exception as e:
        print(label, "->", type(e).__name__, e)
    else:
        print(label, "=", repr(r))


# Objects: GC_New, the trashcan over a long chain only C holds, weak refs.
show("chain 1", cp.chain, 1)
show("chain 100000", cp.chain, 100000)
show("gc_newvar -1", cp.gc_newvar_negative)
obj = object()
show("refs obj", cp.refs, obj)
show("refs True", cp.refs, True)
show("refs False", cp.refs, False)
for o in ([1], 5, "s", (1, [2])):
    show("gc_is_tracked " + type(o).__name__, cp.gc_is_tracked, o)
show("repr_guard", cp.repr_guard, [1, 2])
show("hash_pointer", cp.hash_pointer)
show("generic_alias", lambda: repr(cp.generic_alias(list, (int,))))
show("generic_alias dict", lambda: repr(cp.generic_alias(dict, (str, int))))
show("recursion", cp.recursion)
show("argv", cp.argv_info)


class K:
    def m(self):
        return 1

    cm = classmethod(lambda c: c)
    sm = staticmethod(lambda: 0)


def f():
    pass


r = cp.static_types(K.__dict__["cm"], K.__dict__["sm"], f, K().m, reversed([1, 2]))
print("static types", r[:6], r[6] is classmethod, r[7] is staticmethod,
      r[8] is type(f), r[9] is type(K().m), r[10].__name__)
show("cfunc_get self", cp.cfunc_get, cp.cfunc_get)
show("cfunc_get other", cp.cfunc_get, cp.refs)
show("cfunc_get lambda", cp.cfunc_get, lambda: 0)

ws, lower, upper, flags = cp.char_tables()
print("whitespace", ws)
print("tolower", lower)
print("toupper", upper)
print("ctype", [flags[i * 7:i * 7 + 7] for i in range(256) if flags[i * 7:i * 7 + 7] != "......."])

# Ints, floats, bytes.
show("fromvoidptr", cp.fromvoidptr)
for v in (0, 1, -1, 255, 256, -(2 ** 70), 2 ** 64 - 1, True):
    show("numbits %r" % (v,), cp.numbits, v)
for v in ("1.5", " -2e3 ", "inf", "abc", b"2.25", b"x1", bytearray(b"7"), 5, None):
    show("float_fromstring %r" % (v,), cp.float_fromstring, v)
for n, m in ((10, 4), (4, 10), (0, 5), (5, 0), (3, 3), (6, -1)):
    # (Bytes past the old length are unspecified: only the kept ones are shown.)
    show("bytes_resize %d %d" % (n, m), lambda: (lambda r: (len(r), r[:min(n, m)]))(cp.bytes_resize(n, m)))
show("bytes_resize list", cp.bytes_resize_bad, [1])

# Strs.
s = "hello world"
for sub, a, b, d in (("hello", 0, 99, -1), ("world", 0, 99, 1), ("lo", 3, 5, -1),
                     ("lo", 3, 5, 1), ("x", 0, 99, 1), ("", 20, 30, -1), ("o w", -7, -3, -1)):
    show("tailmatch %r %d %d %d" % (sub, a, b, d), cp.tailmatch, s, sub, a, b, d)
show("tailmatch int", cp.tailmatch, s, 5, 0, 9, 1)
show("tailmatch int2", cp.tailmatch, 5, "a", 0, 9, 1)


class S(str):
    pass


show("str_misc str", cp.str_misc, "abc")
show("str_misc sub", lambda: (lambda r: (type(r[0]).__name__,) + r)(cp.str_misc(S("xy"))))
show("str_misc int", cp.str_misc, 5)
show("decode utf8", cp.decode, "café ☺".encode())
show("decode latin1", cp.decode, b"caf\xe9", "latin-1")
show("decode ascii bad", cp.decode, b"caf\xe9", "ascii")
show("decode replace", cp.decode, b"a\xffb", "utf-8", "replace")
show("decode unknown", cp.decode, b"a", "no-such-codec")
for txt in ("xyz", "\u0101bc", "q\U0001F601"):
    for over in (0, 1):
        show("writer %r %d" % (txt, over), cp.writer, txt, over)
show("writer_small", cp.writer_small)
show("writer_bad_char", cp.writer_bad_char)

# Slices.
for sl in (slice(None), slice(1, 5), slice(-3, None), slice(None, None, -1), slice(10, -10, -3),
           slice(2 ** 70, -(2 ** 70)), slice(0, 5, 0), slice("a", 3), slice(None, None, -(2 ** 70))):
    show("slice %r" % (sl,), cp.slice_unpack, sl, 7)

# Lists, dicts, sets.
for lo, hi, v in ((1, 3, ["a", "b", "c"]), (0, 0, (9,)), (-5, 99, ...), (2, 1, "xy"),
                  (1, 2, iter([7, 8])), (0, 1, 5)):
    label = v if isinstance(v, (list, tuple, str, int)) or v is ... else type(v).__name__
    show("list_setslice %d %d %r" % (lo, hi, label), cp.list_setslice, [0, 1, 2, 3], lo, hi, v)
L = [1, 2, 3]
show("list_setslice self", cp.list_setslice, L, 1, 2, L)
show("list_setslice notlist", cp.list_setslice, (1,), 0, 1, [])
show("list_setslice_cfirst", cp.list_setslice_cfirst, ["p", "q", "r"])
M = [0, 1, 2]
show("list_setslice_after_macro", cp.list_setslice_after_macro, M)
print("after macro, python sees", M, len(M))
d = {"a": 1}
show("dict_ops new", cp.dict_ops, d, "b", [2], {"c": 3})
show("dict_ops old", cp.dict_ops, d, "a", 99, {"a": 0})
print("dict now", d)


class Mapping:
    def keys(self):
        return ["k1", "k2"]

    def __getitem__(self, k):
        return k.upper()


show("dict_ops mapping", cp.dict_ops, {}, 1, 2, Mapping())
show("dict_ops pairs", cp.dict_ops, {}, 1, 2, [("x", 1)])
show("dict_ops unhashable", cp.dict_ops, {}, [1], 2, {})
show("dict_contains", cp.dict_contains, {1: 2}, 1)
show("dict_contains no", cp.dict_contains, {1: 2}, 3)
show("dict_contains unhashable", cp.dict_contains, {1: 2}, {})
st = {1, 2, "x"}
show("set_discard 1", cp.set_discard, st, 1)
show("set_discard 1 again", cp.set_discard, st, 1)
show("set_discard unhashable", cp.set_discard, st, [1])
show("set_discard frozenset", cp.set_discard, frozenset([1]), 1)
print("set now", sorted(map(str, st)))

# Abstract.
show("vcall upper", cp.vcall_method, "abc", "upper", (), {})
show("vcall split", cp.vcall_method, "a b c", "split", (), {"maxsplit": 1})
show("vcall replace", cp.vcall_method, "aaa", "replace", ("a", "b", 2), {})
show("vcall missing", cp.vcall_method, "abc", "nope", (), {})


class Hint:
    def __init__(self, r):
        self.r = r

    def __length_hint__(self):
        if isinstance(self.r, Exception):
            raise self.r
        return self.r


class BadLen:
    def __len__(self):
        raise TypeError("no len")

    def __length_hint__(self):
        return 4


for o in ([1, 2, 3], iter([1, 2]), Hint(5), Hint(NotImplemented), Hint(-1), Hint("x"),
          Hint(ValueError("v")), Hint(TypeError("t")), BadLen(), 5, range(10)):
    show("length_hint %s" % type(o).__name__, cp.length_hint, o, 42)


class D:
    x = 1

    def meth(self):
        pass


show("dir", lambda: [n for n in cp.dir_of(D()) if not n.startswith("__")])
show("dir int", lambda: "bit_length" in cp.dir_of(5))
for n, b in ((255, 2), (255, 8), (255, 10), (255, 16), (-10, 16), (True, 2), (2 ** 70, 16),
             (255, 3), ("x", 2), (1.5, 10)):
    show("to_base %r %d" % (n, b), cp.to_base, n, b)
for o, e in ((5, None), (-7, OverflowError), (2 ** 70, None), (-(2 ** 70), None),
             (2 ** 70, OverflowError), (2 ** 70, IndexError), (True, None), ("x", None),
             (3.0, None)):
    show("as_ssize_t %r %s" % (o, e and e.__name__), cp.as_ssize_t, o, e)

# Unraisable (last: its report is the last line of stderr).
show("unraisable", cp.unraisable, "in census probe", [1, 2])
