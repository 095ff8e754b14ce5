# functools: reduce, partial, lru_cache, wraps, cmp_to_key, total_ordering, cache.
import functools
from functools import reduce, partial, lru_cache, wraps, cmp_to_key, total_ordering
import operator
print(reduce(operator.add, [1, 2, 3, 4]), reduce(lambda a, b: a * b, range(1, 8)), reduce(operator.add, [], 0), reduce(max, [3, 9, 2]))
print(reduce(lambda acc, ch: acc + ch.upper(), "abc", ">"), reduce(lambda a, b: a + [b * 2], [1, 2, 3], []))
try:
    reduce(operator.add, [])
except TypeError as e:
    print("TypeError", e)
int2 = partial(int, base=2)
print(int2("1010"), int2("111", base=10), int2.func is int, int2.args, int2.keywords)
def power(base, exp, mod=None):
    return pow(base, exp, mod)
square = partial(power, exp=2)
cube_mod = partial(power, exp=3, mod=10)
two_to = partial(power, 2)
print(square(9), cube_mod(7), two_to(10), [partial(operator.mul, 3)(v) for v in range(4)])
calls = []
@lru_cache(maxsize=None)
def fib(n):
    calls.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(100), len(calls), fib(50), len(calls))
info = fib.cache_info()
print(info.hits, info.misses, info.maxsize, info.currsize)
fib.cache_clear()
print(fib.cache_info().currsize)
@lru_cache(maxsize=2)
def slow_square(n):
    calls.append(("sq", n))
    return n * n
calls.clear()
for v in [1, 2, 1, 3, 1, 2]:
    slow_square(v)
print(calls, slow_square.cache_info().hits, slow_square.cache_info().misses)
@functools.cache
def tri(n):
    return 0 if n == 0 else n + tri(n - 1)
print(tri(300))
def logged(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        return ("logged", fn(*args, **kwargs))
    return wrapper
@logged
def documented(x):
    "Return x doubled."
    return x * 2
print(documented(4), documented.__name__, documented.__doc__, documented.__wrapped__(5))
def compare_len_then_alpha(a, b):
    if len(a) != len(b):
        return len(a) - len(b)
    return (a > b) - (a < b)
words = ["pear", "fig", "apple", "kiwi", "date", "banana"]
print(sorted(words, key=cmp_to_key(compare_len_then_alpha)))
print(sorted([3, 1, 2], key=cmp_to_key(lambda a, b: b - a)), max(words, key=cmp_to_key(compare_len_then_alpha)))
@total_ordering
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
    def __eq__(self, other):
        return self.parts == other.parts
    def __lt__(self, other):
        return self.parts < other.parts
    def __repr__(self):
        return "V" + ".".join(map(str, self.parts))
a, b = Version("1.2.10"), Version("1.10.0")
print(a < b, a <= b, a > b, a >= b, a == Version("1.2.10"), a != b)
print(sorted([Version("2.0"), Version("1.9.9"), Version("1.10"), Version("1.2")]), max(Version("0.1"), Version("0.0.9")))
compose = lambda *fs: reduce(lambda f, g: lambda x: f(g(x)), fs)
inc_sq = compose(lambda x: x * x, lambda x: x + 1)
print(inc_sq(3), reduce(operator.or_, [1, 2, 4, 8]), reduce(lambda d, k: {**d, k: len(d)}, "abc", {}))
p2 = partial(partial(power, 3), 4)
print(p2(), p2(mod=5), functools.reduce(operator.concat, [[1], [2], [3]]))
