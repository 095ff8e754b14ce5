# set and frozenset: operations (printed through sorted() to stay order-independent).
a = {1, 2, 3, 4, 5}
b = {4, 5, 6, 7}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(b - a), sorted(a ^ b))
print(sorted(a.union(b, [10])), sorted(a.intersection(b, {5})), sorted(a.difference([1], (2,))), sorted(a.symmetric_difference(range(3, 9))))
print({1, 2} <= a, {1, 2} < a, a <= a, a < a, a >= {5}, a > a, {1, 9}.issubset(a), a.issuperset([1, 2]), a.isdisjoint({8, 9}), a.isdisjoint(b))
print(len(a), 3 in a, 9 in a, 9 not in a, a == {5, 4, 3, 2, 1}, a != b, set() == frozenset())
s = set()
s.add(3)
s.add(3)
s.add("x")
s.update([1, 2], (9,))
print(len(s), sorted(s, key=str))
s.discard(99)
s.discard("x")
s.remove(9)
print(sorted(s))
try:
    s.remove(42)
except KeyError as e:
    print("KeyError", e)
c = {10, 20, 30}
c |= {40}
c &= {10, 20, 40, 50}
c -= {20}
c ^= {10, 60}
print(sorted(c))
c.intersection_update({40, 60, 70})
c.difference_update({60})
c.symmetric_difference_update({1, 40})
print(sorted(c))
x = c.pop()
print(x, c, len(c))
c.clear()
print(c, len(c), repr(set()), repr(frozenset()))
fs = frozenset([3, 1, 2, 3])
print(sorted(fs), len(fs), type(fs | {9}).__name__, type({9} | fs).__name__, sorted(fs & {1, 2, 7}))
print(hash(fs) == hash(frozenset([1, 2, 3])), {fs: "ok"}[frozenset({1, 2, 3})], fs == {1, 2, 3})
try:
    fs.add(4)
except AttributeError as e:
    print("AttributeError", e)
try:
    {[1, 2]}
except TypeError as e:
    print("TypeError", e)
words = "the cat and the dog and the bird".split()
uniq = set(words)
print(len(uniq), sorted(uniq), "cat" in uniq)
print(sorted({w[0] for w in words}), sorted({len(w) for w in words}))
print(sorted(set("mississippi")), sorted(frozenset("hello") - set("lo")))
print({1, 2, 3}, {0}, {5, 1, 3}, set([2, 1]), frozenset({7}))
nested = {frozenset({1, 2}), frozenset({2, 1}), frozenset({3})}
print(len(nested), sorted(sorted(x) for x in nested))
print(sorted({1, 1.0, True}), {0, False, 0.0} == {0}, len({(1, 2), (1, 2), (2, 1)}))
big = set(range(0, 10000, 3)) - set(range(0, 10000, 5))
print(len(big), sum(big), min(big), max(big))
print(sorted(set(range(10)) & set(range(5, 20))), sorted({i % 7 for i in range(100)}))
s2 = {1, 2, 3}
t2 = s2.copy()
t2.add(4)
print(sorted(s2), sorted(t2), s2 < t2)
