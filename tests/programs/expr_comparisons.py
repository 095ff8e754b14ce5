# Chained comparisons, evaluation order, conditional expressions, identity and membership.
log = []
def v(x):
    log.append(x)
    return x
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 == 1 == 1, 1 == 1 != 2, 1 < 2 > 0, 0 <= 0 < 1 <= 1)
print(v(1) < v(2) < v(3), log)
log.clear()
print(v(3) < v(2) < v(1), log)
log.clear()
print(v(1) < v(5) > v(2) == v(2), log)
log.clear()
print(v(1) if v(True) else v(2), log)
log.clear()
print(v(1) if v(0) else v(2), log)
log.clear()
x = 7
print("small" if x < 5 else "medium" if x < 10 else "large")
print(["odd", "even"][x % 2 == 0], ("neg" if x < 0 else "zero" if x == 0 else "pos"))
for n in [-5, 0, 3, 15, 100]:
    label = "neg" if n < 0 else ("zero" if n == 0 else ("small" if n < 10 else "big"))
    print(n, label, 0 < n < 10, -10 < n <= 0, n in (0, 3), n not in range(10))
print(1 in [1, 2], [1] in [[1], [2]], "ab" in "cab", "ac" in "abc", 2 in {2: "x"}, "x" in {2: "x"}, 3 in {3}, 4 in range(5))
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c, None is None, type(a) is list, type(a) is not tuple)
print(1 == 1.0, x is not None, "1" == 1, [] == (), [] == [], (1,) == (1,), {} == {}, {1} == frozenset({1}))
print(1 < 1.5 < 2, "a" < "b" < "c" < "d", (1, 2) < (1, 3) < (2, 0), [0] < [0, 0] < [1])
try:
    print(1 < "a")
except TypeError as e:
    print("TypeError", e)
try:
    print([1] < (1,))
except TypeError as e:
    print("TypeError", e)
try:
    print(None < 1)
except TypeError as e:
    print("TypeError", e)
print(1 == "1", None == 0, [1, 2] != [1, 2], {"a": 1} != {"a": 2})
nan = float("nan")
lst = [nan]
print(nan == nan, nan in lst, lst == lst, [nan] == [nan], lst.count(nan), (nan,) == (nan,))
def sign(n):
    return (n > 0) - (n < 0)
print([sign(n) for n in (-3, 0, 8)], max(0, min(10, 15)), max(0, min(10, -3)))
print(True == 1 == 1.0, 2 > True > False, "b" > "a" == "a", 5 > 3 in [True])
