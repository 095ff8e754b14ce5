# Tuples: construction, indexing, slicing, comparison, hashing, unpacking, methods.
t = (1, 2, 3, "a", None, 2.5)
print(t, len(t), t[0], t[-1], t[1:3], t[::-1], t[::2], t[10:], t[-100:2])
print((), (1,), tuple(), tuple([1, 2]), tuple("abc"), tuple(range(3)), tuple({3: 0, 1: 0}))
print((1, 2) + (3,), (1, 2) * 3, 0 * (1,), 3 in t, "a" in t, "b" not in t)
print(t.count(2), (1, 1, 2, 1).count(1), t.index("a"), (5, 6, 5).index(5, 1))
try:
    t.index(99)
except ValueError as e:
    print("ValueError", e)
print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9, 9), (1, 2) == (1, 2), (1, "a") != (1, "b"), () < (0,))
print(sorted([(2, "b"), (1, "z"), (2, "a"), (1, "a")]), max([(1, 2), (1, 3), (0, 9)]))
print(hash((1, 2)) == hash((1, 2)), hash((1, 2)) == hash((2, 1)), hash(()), hash((1,)), hash((1, 2, 3)), hash((-1, -2)))
print(hash(((1, 2), (3, 4))), hash((1, (2, (3, None)))) == hash((1, (2, (3, None)))))
a, b, c = (1, 2, 3)
print(a, b, c)
(x, y), z = (4, 5), 6
print(x, y, z)
first, *rest = t
print(first, rest)
nested = ((1, 2), [3, 4], (5, (6, 7)))
print(nested[2][1][0], nested[1][1], len(nested))
lst_in_t = ([1], [2])
lst_in_t[0].append(9)
print(lst_in_t)
try:
    t[0] = 5
except TypeError as e:
    print("TypeError", e)
try:
    hash(([1], 2))
except TypeError as e:
    print("TypeError", e)
d = {(1, 2): "a", (3,): "b"}
print(d[(1, 2)], d[3,], (1, 2) in d)
print(repr((1,)), str(("x", 'y"')), repr(((),)), (1, 2,), ((1),), type((1)).__name__)
big = tuple(range(1000))
print(sum(big), big[500], big[-1], len(big[::7]), big.index(999))
swap_a, swap_b = 1, 2
swap_a, swap_b = swap_b, swap_a
print(swap_a, swap_b)
print(tuple(x * x for x in range(6)), list(zip((1, 2), ("a", "b"))), divmod(9, 4))
print([t2 for t2 in [(1, 2), (3, 4)] if t2[0] > 1], dict([(1, "one"), (2, "two")]))
print(min((3, 1), (2, 5)), any(()), all(()), tuple(reversed((1, 2, 3))))
print(isinstance((), tuple), type(()).__name__, (1, 2).__len__(), (1, 2, 3)[1:].__class__.__name__)
