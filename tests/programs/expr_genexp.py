# Generator expressions: laziness, single pass, consumption by builtins.
g = (x * 2 for x in range(5))
print(type(g).__name__, next(g), next(g), list(g), list(g))
print(sum(x * x for x in range(100)), max(len(w) for w in ["a", "abc", "ab"]), min(-x for x in [3, 1, 2]))
print(any(x > 3 for x in [1, 2, 5]), all(x > 0 for x in [1, 2, 0]), any(()), all(()))
print(sorted(c for c in "generator"), tuple(i for i in range(4)), set(x % 3 for x in range(10)) == {0, 1, 2})
print(dict((k, len(k)) for k in ["one", "three"]), "-".join(str(i) for i in range(5)), list(str(i) for i in range(3)))
log = []
def src(n):
    for i in range(n):
        log.append("yield %d" % i)
        yield i
lazy = (v * 10 for v in src(3))
print(log)
print(next(lazy), log)
print(list(lazy), log)
def first_match(pred, it):
    return next((x for x in it if pred(x)), None)
print(first_match(lambda x: x > 10, range(5, 100, 3)), first_match(lambda x: x > 1000, range(10)))
log.clear()
found = any(v == 2 for v in src(10))
print(found, log)
nested = ((i, j) for i in range(3) for j in range(i, 3) if (i + j) % 2 == 0)
print(list(nested))
x = 10
gen = (x + i for i in range(3))
x = 100
print(list(gen))
gen2 = (i for i in range(3) if i != x)
print(list(gen2))
total = sum(i for i in range(1000000) if i % 1000 == 0)
print(total)
pipeline = (w.upper() for w in (w.strip() for w in ["  a ", "b  ", " c"]) if w != "b")
print(list(pipeline))
squares = (n * n for n in range(10))
evens = (s for s in squares if s % 2 == 0)
print(next(evens), next(evens), list(evens))
it = iter([1, 2, 3, 4, 5, 6])
pairs = list(zip(it, it))
print(pairs)
print(list(enumerate(c for c in "abc")), list(zip((i for i in range(3)), "xyz")))
print(sum((i for i in range(10)), 100), max((i for i in []), default="empty"))
exhausted = (i for i in range(2))
for _ in exhausted:
    pass
print(list(exhausted), next(exhausted, "stop"))
try:
    next(exhausted)
except StopIteration:
    print("StopIteration")
