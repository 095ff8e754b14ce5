# Displays with unpacking, subscripts on every kind of object, negative indexes, chained subscripts.
a = [1, 2, 3]
b = (4, 5)
s = {6, 7}
d1 = {"x": 1, "y": 2}
d2 = {"y": 20, "z": 30}
print([*a, *b], (*a, 0), [*a, *"hi", *range(2)], sorted({*a, *s, 1}), [*[], *()])
print({**d1, **d2}, {**d2, **d1}, {"w": 0, **d1, "x": 100}, {**{}}, dict(**d1, q=9))
print([], (), {}, [[]], [()], ({},), {(): []}, [None] * 2)
print([1, 2, 3,], (1,), (1, 2,), {1: 2,}, {3,})
m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print(m[0], m[-1], m[1][2], m[-1][-1], m[0][-3], [row[1] for row in m], m[1:][0][1:])
print("hello"[0], "hello"[-1], "hello"[1:-1], "hello"[::-1][1:3], "abcdef"[-4:-1], "abcdef"[5:1:-2])
print((10, 20, 30)[1], (10, 20, 30)[-2:], range(100)[50], range(100)[-1], range(0, 100, 10)[2:5][1])
print({"k": [1, {"n": (5, 6)}]}["k"][1]["n"][1], [[[["deep"]]]][0][0][0][0][1:3])
def get_list():
    return [10, 20, 30, 40]
def get_dict():
    return {"a": {"b": "c"}}
print(get_list()[1:3], get_dict()["a"]["b"], get_list()[-1] + get_list()[0], (lambda: "xyz")()[1])
lst = list(range(10))
print(lst[2:8:2], lst[8:2:-2], lst[::4], lst[-1:-5:-1], lst[100:], lst[:-100], lst[3:3], lst[-3:])
print(lst[slice(1, 4)], lst[len(lst) // 2], lst[True], lst[False])
idx = 2
print(lst[idx], lst[idx * 2], lst[-idx], lst[idx:idx + 3], lst[idx - 5])
try:
    lst[10]
except IndexError as e:
    print("IndexError", e)
try:
    "abc"[5]
except IndexError as e:
    print("IndexError", e)
try:
    (1, 2)[-3]
except IndexError as e:
    print("IndexError", e)
try:
    lst["1"]
except TypeError as e:
    print("TypeError", e)
try:
    lst[1.0]
except TypeError as e:
    print("TypeError", e)
nested_display = {"list": [1, (2, 3), {4}], "dict": {"inner": {"deeper": [None, True]}}, "tuple": ((),)}
print(nested_display)
print(nested_display["dict"]["inner"]["deeper"][-1], sorted(nested_display), len(nested_display["list"][1]))
first, *_ = [*"abc"]
print(first, [*map(str.upper, "ab")], (*enumerate("xy"),), {*()} == set())
table = [[r * c for c in range(4)] for r in range(4)]
print(table[3][2], [table[i][i] for i in range(4)], [table[i][3 - i] for i in range(4)])
table[1][1:3] = ["a", "b", "c"]
print(table[1])
word_lengths = {w: len(w) for w in ("a", "bb", "ccc")}
print(word_lengths["bb"], list(word_lengths.items())[-1], [*word_lengths], [*word_lengths.values()])
print(b"bytes"[1], b"bytes"[1:3], bytearray(b"xyz")[-1], "x,y,z".split(",")[-1], str(12345)[::2])
