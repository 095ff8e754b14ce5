# Container and callable protocols: __iter__/__next__, __getitem__/__setitem__/__delitem__, __contains__, __call__, __enter__/__exit__.
class Countdown:
    def __init__(self, start):
        self.cur = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur <= 0:
            raise StopIteration
        self.cur -= 1
        return self.cur + 1
print(list(Countdown(5)), sum(Countdown(4)), [x * 2 for x in Countdown(3)])
cd = Countdown(2)
print(next(cd), next(cd), next(cd, "end"))
class Range2:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        i = 0
        while i < self.n:
            yield i
            i += 2
r = Range2(9)
print(list(r), list(r), 4 in r, 5 in r, max(r), sorted(r, reverse=True))
class Grid:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.cells = {}
    def __getitem__(self, key):
        if isinstance(key, tuple):
            x, y = key
            if not (0 <= x < self.w and 0 <= y < self.h):
                raise IndexError("cell out of range")
            return self.cells.get(key, ".")
        raise TypeError("need (x, y)")
    def __setitem__(self, key, val):
        self.cells[key] = val
    def __delitem__(self, key):
        del self.cells[key]
    def __contains__(self, val):
        return val in self.cells.values()
    def __len__(self):
        return len(self.cells)
    def rows(self):
        return ["".join(self[x, y] for x in range(self.w)) for y in range(self.h)]
g = Grid(4, 3)
g[0, 0] = "#"
g[3, 2] = "@"
g[1, 1] = "#"
print(g.rows(), len(g), "@" in g, "$" in g)
del g[0, 0]
print(g.rows(), len(g))
for bad in [(9, 9), "x"]:
    try:
        g[bad]
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError(i)
        return i * i
print(list(Seq()), 9 in Seq(), 5 in Seq(), [v for v in Seq()])
it = iter(Seq())
print(next(it), next(it), list(it))
class Multiplier:
    def __init__(self, k):
        self.k = k
        self.calls = 0
    def __call__(self, v, extra=0):
        self.calls += 1
        return v * self.k + extra
triple = Multiplier(3)
print(triple(5), triple(2, extra=1), list(map(triple, [1, 2])), triple.calls, callable(triple), callable(Seq()))
class Resource:
    log = []
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        Resource.log.append("enter " + self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        Resource.log.append("exit %s %s" % (self.name, exc_type.__name__ if exc_type else None))
        return self.suppress
with Resource("a") as val:
    print("inside", val)
with Resource("outer") as o, Resource("inner") as i:
    print("nested", o, i)
with Resource("quiet", suppress=True):
    raise ValueError("swallowed")
try:
    with Resource("loud"):
        raise KeyError("escapes")
except KeyError as e:
    print("caught", repr(e))
print(Resource.log)
class Bag:
    def __init__(self, *items):
        self.items = list(items)
    def __iter__(self):
        return iter(self.items)
    def __len__(self):
        return len(self.items)
    def __reversed__(self):
        return iter(self.items[::-1])
    def __contains__(self, x):
        print("  contains", x)
        return x in self.items
b = Bag(3, 1, 2)
print(list(b), sorted(b), list(reversed(b)), len(b), 2 in b, 7 not in b, dict(zip(b, "xyz")), tuple(b))
a1, a2, a3 = b
print(a1, a2, a3, [*b, 9], {*b} == {1, 2, 3})
