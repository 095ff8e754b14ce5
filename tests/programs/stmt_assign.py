# Assignment forms: tuple unpacking, nested, starred, chained, augmented on attributes and subscripts.
a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
(c, d), e = (3, 4), 5
print(c, d, e)
[f, g] = "xy"
print(f, g)
h, (i, (j, k)) = 1, [2, (3, 4)]
print(h, i, j, k)
first, *middle, last = range(6)
print(first, middle, last)
*init, tail = [1, 2, 3]
print(init, tail)
head, *rest = "abc"
print(head, rest)
x, *empty, y = 1, 2
print(x, empty, y)
(p, *q), r = [10, 20, 30], 40
print(p, q, r)
m = n = o = []
m.append(1)
print(m, n, o, m is o)
u = v = 5
u += 1
print(u, v)
for idx, (key, val) in enumerate([("a", 1), ("b", 2)]):
    print(idx, key, val)
for (aa, bb), cc in [((1, 2), 3), ((4, 5), 6)]:
    print(aa + bb + cc)
class Box:
    def __init__(self):
        self.count = 0
        self.items = [0, 0, 0]
        self.data = {"k": 1}
box = Box()
box.count += 5
box.count *= 3
box.items[1] += 7
box.items[-1] -= 2
box.data["k"] += 10
box.data.setdefault("new", 0)
box.data["new"] += 1
box.extra = "dynamic"
print(box.count, box.items, box.data, box.extra)
grid = [[0] * 3 for _ in range(3)]
grid[1][2] = 9
grid[0][0] += 4
grid[2][1] = grid[1][2] * 2
print(grid)
lst = [1, 2, 3, 4, 5]
lst[1], lst[3] = lst[3], lst[1]
print(lst)
i2 = 0
arr = [10, 20, 30]
i2, arr[i2] = 1, 99
print(i2, arr)
dd = {}
dd["a"] = dd["b"] = 0
print(dd)
s1, s2, s3 = {"one": 1, "two": 2, "three": 3}
print(s1, s2, s3)
try:
    a1, b1 = [1, 2, 3]
except ValueError as e:
    print("ValueError", e)
try:
    a1, b1, c1 = [1, 2]
except ValueError as e:
    print("ValueError", e)
try:
    a1, *b1, c1, d1 = [1, 2]
except ValueError as e:
    print("ValueError", e)
try:
    a1, b1 = 5
except TypeError as e:
    print("TypeError", e)
counter = 0
def bump():
    global counter
    counter += 1
    return counter
vals = [0] * 5
vals[bump()] = bump()
print(vals, counter)
t = ([1], 2)
try:
    t[0] += [3]
except TypeError as e:
    print("TypeError", e)
print(t)
z = 10
z -= 3; z *= 2
print(z)
_ = "underscore"
__ = _ * 2
print(_, __)
