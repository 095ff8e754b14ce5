# Calls: positional, keyword, defaults, *args, **kwargs, unpacking at call sites, lambdas.
def f(a, b, c=3, *args, d=4, e, **kw):
    return "a=%r b=%r c=%r args=%r d=%r e=%r kw=%r" % (a, b, c, args, d, e, sorted(kw.items()))
print(f(1, 2, e=5))
print(f(1, 2, 30, 40, 50, e=5, z=9, y=8))
print(f(b=2, a=1, e=0, d=-1))
print(f(*[1, 2, 3, 4], **{"e": 5, "q": 6}))
print(f(1, *(2,), *[3, 4], e=1, **{"x": 1}, **{"y": 2}))
def g(*args, **kwargs):
    return args, kwargs
print(g(), g(1), g(1, 2, k=3), g(*"ab", **dict(x=1)), g(*range(3), *(), **{}))
def pos_only_like(x, y, z):
    return x + y + z
print(pos_only_like(1, 2, 3), pos_only_like(1, 2, z=10))
add = lambda x, y=10: x + y
print(add(1), add(1, 2), add(y=5, x=6), (lambda *a: len(a))(1, 2, 3), (lambda **k: sorted(k))(b=1, a=2))
print((lambda: "no args")(), (lambda x: lambda y: x * y)(6)(7), list(map(lambda p: p[0] * p[1], [(1, 2), (3, 4)])))
order = []
def note(tag, val):
    order.append(tag)
    return val
def h(a, b, c=0, d=0):
    return a + b + c + d
print(h(note("1", 1), note("2", 2), d=note("d", 4), c=note("c", 3)), order)
def defaults_evaluated_once(x, acc=[]):
    acc.append(x)
    return acc
print(defaults_evaluated_once(1), defaults_evaluated_once(2), defaults_evaluated_once(3, []))
def kwonly(*, key, flag=False):
    return key, flag
print(kwonly(key="k"), kwonly(flag=True, key=0))
for bad in [lambda: h(1), lambda: h(1, 2, 3, 4, 5), lambda: kwonly("x"), lambda: h(1, 2, a=3), lambda: h(1, 2, zz=3)]:
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
def apply(fn, *args, **kwargs):
    return fn(*args, **kwargs)
print(apply(max, 3, 9, 4), apply(sorted, [3, 1, 2], reverse=True), apply(dict, a=1), apply(str.join, "-", ["a", "b"]))
print(sorted(["bb", "a", "ccc"], key=len, reverse=True), int("ff", base=16), print is print)
print("x", "y", sep="")
print(*[1, 2, 3], sep=", ", end=".\n")
fns = [lambda x, i=i: x + i for i in range(3)]
print([fn(10) for fn in fns])
late = [lambda x: x + i for i in range(3)]
print([fn(10) for fn in late])
def rec(n):
    return 1 if n <= 1 else n * rec(n - 1)
print(rec(10), rec(1), list(map(rec, range(6))))
def many(a, b, c, d, e, f, g, h):
    return [a, b, c, d, e, f, g, h]
print(many(*range(4), *range(4, 6), g=6, h=7))
print(f.__name__, add.__name__, (lambda: 0).__name__, h.__defaults__, kwonly.__kwdefaults__)
