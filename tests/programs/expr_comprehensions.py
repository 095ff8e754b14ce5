# List, dict and set comprehensions: nested, with conditions, scoping.
print([x * x for x in range(10)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([[x * y for y in range(1, 4)] for x in range(1, 4)])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[i] for i in range(3) for row in matrix])
print([[row[i] for row in matrix] for i in range(3)])
print([v for row in matrix for v in row if v % 2])
print([x if x % 2 else -x for x in range(8)])
print([c.upper() for c in "hello" if c not in "l"])
print({x: x ** 2 for x in range(6)})
print({k: v for k, v in [("a", 1), ("b", 2), ("a", 3)]})
print({v: k for k, v in {"x": 1, "y": 2}.items()})
print({i % 4: i for i in range(10)})
print(sorted({x % 5 for x in range(100)}), sorted({c for c in "abracadabra"}))
print({(a, b) for a in range(2) for b in range(2)} == {(0, 0), (0, 1), (1, 0), (1, 1)})
words = ["apple", "bob", "kayak", "level", "python", "noon"]
print([w for w in words if w == w[::-1]], {w: len(w) for w in words if len(w) > 3})
print([(i, w) for i, w in enumerate(words) if i % 2 == 0])
print([a + b for a, b in zip("abc", "xyz")], [sum(p) for p in zip([1, 2], [10, 20], [100, 200])])
x = "outer"
res = [x for x in range(3)]
print(res, x)
n = 10
print([n * i for i in range(3)], [[n for _ in range(2)] for n in range(3)], n)
primes = [p for p in range(2, 60) if all(p % d for d in range(2, int(p ** 0.5) + 1))]
print(primes)
pyth = [(a, b, c) for c in range(1, 30) for b in range(1, c) for a in range(1, b) if a * a + b * b == c * c]
print(pyth)
flat = [y for x in [[1, [2]], [3, [4, 5]]] for y in x]
print(flat)
print([[j for j in range(i)] for i in range(5)])
print([i for i in range(5)][::-1], [str(i) for i in range(3)] + ["end"])
counts = {ch: "mississippi".count(ch) for ch in "mississippi"}
print(counts)
grid = {(r, c): r * 3 + c for r in range(3) for c in range(3) if r != c}
print(grid)
print(len([0 for _ in range(1000)]), sum([i for i in range(1000) if i % 7 == 3]))
funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])
class K:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]
print(K.doubled)
def gen_comp_in_func(limit):
    scale = 3
    return [i * scale for i in range(limit) if i != 2], {i: [j for j in range(i)] for i in range(3)}
print(gen_comp_in_func(5))
