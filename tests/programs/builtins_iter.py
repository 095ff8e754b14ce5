# Iteration builtins: enumerate, zip, map, filter, sorted, reversed, iter, next, range, any, all.
names = ["ann", "bob", "cy"]
print(list(enumerate(names)), list(enumerate(names, 1)), list(enumerate("ab", start=-1)), list(enumerate([])))
print(list(zip([1, 2, 3], "abc")), list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1])), list(zip(*[(1, "a"), (2, "b")])))
print(dict(zip(names, range(3))), [a * b for a, b in zip(range(4), range(10, 14))])
try:
    list(zip([1, 2], [3], strict=True))
except ValueError as e:
    print("ValueError", e)
print(list(map(str.upper, names)), list(map(lambda a, b: a + b, [1, 2, 3], [10, 20])), list(map(int, "123")), list(map(len, names)))
print(list(filter(None, [0, 1, "", "x", None, [], [0]])), list(filter(lambda v: v % 3 == 0, range(10))), list(filter(str.isdigit, "a1b2")))
print(sorted([3, 1, 2]), sorted("cab"), sorted([3, 1, 2], reverse=True), sorted({"b": 1, "a": 2}), sorted([]), sorted((2, 1)))
print(sorted(["aa", "B", "c"], key=str.lower), sorted([-3, 2, -1], key=abs), sorted([(1, "b"), (1, "a"), (0, "z")]))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed(range(5))), list(reversed((1, 2))), "".join(reversed("stressed")))
it = iter([10, 20, 30])
print(next(it), next(it), next(it), next(it, None), next(it, "dflt"))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", e.args)
s_it = iter("xy")
print(type(s_it).__name__ in ("str_iterator", "str_ascii_iterator"), list(s_it), list(s_it))
d_it = iter({"k1": 1, "k2": 2})
print(next(d_it), list(d_it))
calls = [0]
def sentinel_source():
    calls[0] += 1
    return calls[0]
print(list(iter(sentinel_source, 5)))
print(any([]), any([0, 0, 1]), any(x > 5 for x in range(3)), all([]), all([1, "a", [0]]), all([1, 0]))
print(list(range(3)), list(range(1, 10, 4)), list(map(pow, [2, 3], [5, 2])))
m = map(lambda x: x * 10, [1, 2, 3])
print(next(m), list(m), list(m))
z = zip("ab", "cd")
print(next(z), list(z))
e = enumerate("xyz")
print(next(e), list(e))
f = filter(lambda x: x > 0, [-1, 2, -3, 4])
print(next(f), list(f))
def numbers():
    yield from (5, 3, 8)
print(sorted(numbers()), max(numbers()), min(numbers()), sum(numbers()), list(zip(numbers(), numbers())))
words = "the quick brown fox jumps over the lazy dog".split()
by_len = sorted(words, key=lambda w: (len(w), w))
print(by_len)
print(sorted(words, key=len, reverse=True)[:3], list(map(lambda p: str(p[0]) + p[1], enumerate(words[:3]))))
pairs = sorted(zip(words, range(len(words))), key=lambda p: p[0])
print(pairs[:4])
matrix = [[1, 2, 3], [4, 5, 6]]
print(list(zip(*matrix)), list(map(list, zip(*matrix))), [sum(col) for col in zip(*matrix)])
print(list(map(lambda t: t[::-1], zip("ab", "cd"))), tuple(filter(None, (0, 1, 2))), set(map(abs, [-1, 1, -2])) == {1, 2})
