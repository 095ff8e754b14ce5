# Generators: yield, yield from, return values, laziness, infinite generators, generator state.
def count_up(n):
    print("  start")
    for i in range(n):
        print("  yielding", i)
        yield i
    print("  done")
g = count_up(2)
print("created", type(g).__name__)
print(next(g))
print(next(g))
print(next(g, "exhausted"))
print(next(g, "still exhausted"))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(12)])
def take(n, it):
    out = []
    for v in it:
        if len(out) >= n:
            break
        out.append(v)
    return out
print(take(5, fib()), take(3, "abcdef"))
def inner():
    yield 1
    yield 2
    return "inner result"
def outer():
    result = yield from inner()
    print("  inner returned", result)
    yield from [10, 20]
    yield from (c for c in "xy")
    yield from range(3)
    return "outer result"
print(list(outer()))
def with_return():
    yield "a"
    return "ret"
gen = with_return()
print(next(gen))
try:
    next(gen)
except StopIteration as e:
    print("StopIteration value:", e.value, e.args)
def tree_walk(node):
    if isinstance(node, list):
        for child in node:
            yield from tree_walk(child)
    else:
        yield node
print(list(tree_walk([1, [2, [3, [4, 5]], 6], [[7]], 8])))
def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("  generator finally ran")
for v in gen_with_finally():
    print("got", v)
def evens_squared(nums):
    for n in nums:
        if n % 2 == 0:
            yield n * n
pipeline = evens_squared(x for x in range(10))
print(sum(pipeline), list(pipeline))
def gen_state():
    x = 0
    while x < 3:
        x += 1
        yield x, x * x
print(dict(gen_state()), list(enumerate(gen_state())))
def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found):
            found.append(n)
            yield n
        n += 1
p = primes()
print([next(p) for _ in range(15)])
def flatten_yield_from(depth):
    if depth == 0:
        yield "leaf"
        return
    yield "enter %d" % depth
    yield from flatten_yield_from(depth - 1)
    yield "leave %d" % depth
print(list(flatten_yield_from(3)))
def interleave(*iters):
    its = [iter(i) for i in iters]
    while its:
        for it in list(its):
            try:
                yield next(it)
            except StopIteration:
                its.remove(it)
print(list(interleave("abc", [1, 2], (True,))))
def running_avg(values):
    total = 0
    for i, v in enumerate(values, 1):
        total += v
        yield total / i
print(list(running_avg([10, 20, 30, 40])))
g1 = count_up(1)
g2 = count_up(1)
print(next(g1), next(g2))
def empty_gen():
    return
    yield
print(list(empty_gen()), iter(g) is g, hasattr(g, "__next__"))
def chunks(seq, size):
    for i in range(0, len(seq), size):
        yield seq[i:i + size]
print(list(chunks(list(range(11)), 4)), list(chunks("abcdefg", 3)))
