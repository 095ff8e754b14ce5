# Driver for tests/cext/slotprobe.c (our own module): C type slots reached from Python,
# Python objects' operations reached from C, a heap type from a spec, members, getsets,
# class and static methods, METH_METHOD, module state, and Python subclasses of C types
# that override slots. Output must be identical on CPython 3.11 and Thicket.
import slotprobe
from slotprobe import Vec, Counter


def attempt(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "raises", type(e).__name__, str(e))


a = Vec(1, 2, 3)
b = Vec(10, 20, 30)
print(a, repr(b), str(a), Vec.__name__, Vec.__module__, Vec.__doc__)
print(a + b, a * 3, 2 * a, -a, bool(a), bool(Vec(0, 0)), bool(Vec()))
print(len(a), a[0], a[-1], 2 in a, 7 in a, "x" in a, list(a), sorted(b, reverse=True))
a[1] = 50
print(a, a.first, a.total, a.sum(), a.scaled(10), a(), a(2), a(scale=3, offset=1))
a.first = -4
print(a, a.first)
attempt("a[5]", lambda: a[5])
attempt("a[0] = 'x'", lambda: a.__setitem__(0, "x"))
attempt("del a[0]", lambda: a.__delitem__(0))
attempt("a + Vec(1)", lambda: a + Vec(1))
attempt("a + 1", lambda: a + 1)
attempt("Vec(*range(9))", lambda: Vec(*range(9)))
attempt("Vec('a')", lambda: Vec("a"))
attempt("Vec(x=1)", lambda: Vec(x=1))
attempt("a(1, 2, 3)", lambda: a(1, 2, 3))
attempt("a(bad=1)", lambda: a(bad=1))
attempt("set total", lambda: setattr(a, "total", 1))
attempt("del first", lambda: delattr(a, "first"))
print(a == Vec(-4, 50, 3), a != Vec(-4, 50, 3), a < b, b <= a, a > b, a == 5)
print(hash(Vec(1, 2)) == hash(Vec(1, 2)), len({Vec(1, 2), Vec(1, 2), Vec(2, 1)}))
print(operator_index := __import__("operator").index(Vec(4, 5)), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100][Vec(1, 2)])

# Members.
print(a.tag, a.weight, a.flags)
a.tag = ["tagged"]
a.weight = 2.5
print(a.tag, a.weight)
a.weight = 7
print(a.weight)
del a.tag
print(a.tag)
attempt("flags =", lambda: setattr(a, "flags", 1))
attempt("weight = 'x'", lambda: setattr(a, "weight", "x"))

# Class and static methods.
print(Vec.zeros(3), a.zeros(2), Vec.version(), a.version())
attempt("zeros(9)", lambda: Vec.zeros(9))


# A Python subclass overriding slots, reaching the C ones through super().
class Named(Vec):
    name = "anon"

    def __init__(self, *items):
        self.name = "n%d" % len(items)

    def __repr__(self):
        return "Named<%s>%s" % (self.name, super().__repr__())

    def __len__(self):
        return super().__len__() * 100

    def __add__(self, other):
        return "custom add"


n = Named(1, 2)
print(repr(n), len(n), n + n, list(n * 2), n[1], n.name, isinstance(n, Vec), type(n * 2).__name__)
print(slotprobe.ops(n, 2))
n.tag = "named tag"
print(n.tag, n.total, n.first)

# C reaching Python objects' operations.
print(slotprobe.ops(7, 3))
print(slotprobe.ops(-2.5, 2))
print(slotprobe.ops([1, 2, 3], 1))
print(slotprobe.ops({"k": 1, 2: "two"}, 2))
print(slotprobe.ops("text", "x"))
print(slotprobe.ops(Vec(3, 4), Vec(1, 1)))
print(slotprobe.ops(Vec(3, 4), 1))


class Py:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Py(self.v + (o.v if isinstance(o, Py) else o))

    def __sub__(self, o):
        return self.v - o

    def __mul__(self, o):
        return [self.v] * o

    def __neg__(self):
        return "neg"

    def __pos__(self):
        return "pos"

    def __abs__(self):
        return "abs"

    def __invert__(self):
        return "inv"

    def __pow__(self, o, mod=None):
        return ("pow", o, mod)

    def __divmod__(self, o):
        return ("divmod", o)

    def __iadd__(self, o):
        return "iadd"

    def __lt__(self, o):
        return "lt"

    def __eq__(self, o):
        return "eq"

    def __repr__(self):
        return "Py(%r)" % (self.v,)

    def __str__(self):
        return "str-Py"

    def __bool__(self):
        return False

    def __len__(self):
        return 42

    def __getitem__(self, k):
        return ("item", k)

    def __contains__(self, k):
        return k == 2

    def __format__(self, spec):
        return "fmt:" + spec

    def __call__(self, *args, **kw):
        return ("called", args, sorted(kw.items()))

    def __iter__(self):
        return iter([self.v, self.v + 1])


print(slotprobe.ops(Py(5), 2))
print(slotprobe.call(Py(1), 9), slotprobe.call(b, 2), slotprobe.call(len, "abc") if False else "")
attempt("call(len, 1)", lambda: slotprobe.call(len, 1))
print(slotprobe.iterate(Py(3)), slotprobe.iterate(Counter(4)), slotprobe.iterate(b))
attempt("iterate(5)", lambda: slotprobe.iterate(5))
print(slotprobe.mapping({"a": 1, "b": 2}))
v = slotprobe.vec()
print(v, type(v) is Vec, v + Vec(1, 1, 1))

# Objects C made that equal shared ones on the Python side.
for _ in range(3):
    sh = slotprobe.shared()
    print(sh, [type(x).__name__ for x in sh], sh[:7] == sh[7:])

# C writing list items through PyList_SET_ITEM: Python sees the writes.
lst = [1, 2, 3, 4]
alias = lst
print(slotprobe.set_items(lst, 10), lst, alias is lst, sum(lst))
print(slotprobe.set_items(lst, -1), lst)
big = list(range(500))
slotprobe.set_items(big, 3)
print(big[:5], big[-3:], sum(big))
attempt("set_items(['x'], 1)", lambda: slotprobe.set_items(["x"], 1))
attempt("set_items((1,), 1)", lambda: slotprobe.set_items((1,), 1))
nested = [[1, 2], [3]]
for inner in nested:
    slotprobe.set_items(inner, 7)
print(nested)

# Counter: a heap type from a spec.
c = Counter(5, start=2)
print(Counter.__name__, Counter.__module__, Counter.__doc__, type(c).__name__)
print(list(c), list(c), c.stop)
c = Counter(3)
print(next(c), next(c), next(c))
attempt("next(exhausted)", lambda: next(c))
c["a"] = 1
c[("t", 1)] = [1, 2]
print(c["a"], c[("t", 1)], len(c), c.seen)
del c["a"]
attempt("c['a']", lambda: c["a"])
attempt("del c['zz']", lambda: c.__delitem__("zz"))
attempt("set seen", lambda: setattr(c, "seen", {}))
c.stop = 10
print(c.stop, c.calls(), c.calls(1, 2), Counter(1).calls())
attempt("Counter()", lambda: Counter())
attempt("Counter('x')", lambda: Counter("x"))
attempt("Counter.__new__(Counter).seen", lambda: Counter.__new__(Counter).seen)
attempt("mapping(c)", lambda: slotprobe.mapping(c))


class Evens(Counter):
    def __next__(self):
        x = super().__next__()
        return x * 2


print(list(Evens(4)), Evens(2).calls())

# Many objects of C types, moved and collected.
vs = [Vec(i, i + 1) for i in range(3000)]
total = 0
for x in vs:
    total += x.total + len(x) + x[1]
print(total)
cs = [Counter(i % 7) for i in range(2000)]
print(sum(len(list(x)) for x in cs))
