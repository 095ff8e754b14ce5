# Dicts: insertion order, methods, views, comprehensions, deletion then reinsertion.
d = {"b": 2, "a": 1}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["a"], list(d), list(d.keys()), list(d.values()), list(d.items()))
print(d.keys(), d.values(), d.items())
print(d.get("z"), d.get("z", 0), d.get("b"), "a" in d, "z" not in d, 2 in d.values(), ("c", 3) in d.items())
del d["b"]
d["b"] = 20
print(d)
print(d.pop("a"), d.pop("zz", "default"), d)
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError", e)
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e, repr(e), e.args)
print(d.setdefault("c", 99), d.setdefault("n", []), d)
d["n"].append(1)
d.update({"x": 1, "c": 33})
d.update([("y", 2)], z=3)
print(d)
print(d.popitem(), d.popitem(), d)
e = d.copy()
e["new"] = True
print(d == e, len(d), len(e), e)
e.clear()
print(e, bool(e))
print(dict(a=1, b=2), dict([(1, 2), (3, 4)]), dict({"k": "v"}, extra=0), dict.fromkeys("abc", 0), dict.fromkeys([1, 2]))
sq = {i: i * i for i in range(8) if i % 2}
print(sq, {v: k for k, v in sq.items()}, {k: v for k, v in zip("xyz", range(3))})
keys = d.keys()
vals = d.values()
d["late"] = 1
print(keys, len(vals), sorted(keys))
print(d.keys() & {"c", "late", "q"} == {"c", "late"}, sorted(d.keys() | {"q"}), sorted(d.keys() - {"c"}))
order = {}
for i in range(10):
    order[i * 7 % 10] = i
print(order, list(order))
for k in [3, 5, 7]:
    del order[k]
order[5] = "back"
order[3] = "again"
print(order)
print({1: "a", 1.0: "b", True: "c"}, {(1, 2): "t", None: "n", 2.5: "f", "s": "s", -1: "neg"})
print({"a": 1} == {"a": 1.0}, {"a": 1, "b": 2} == {"b": 2, "a": 1}, {} == dict())
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
nested = {"outer": {"inner": [1, 2, {"deep": True}]}}
print(nested["outer"]["inner"][2]["deep"], nested)
try:
    for k in d:
        d["boom"] = 1
except RuntimeError as e:
    print("RuntimeError", e)
print({**{"a": 1, "b": 2}, **{"b": 3, "c": 4}}, {"a": 1} | {"b": 2}, dict(sorted({"z": 1, "m": 2, "a": 3}.items())))
m = {"x": 1}
m |= {"y": 2}
print(m, list(reversed(m)), list(reversed(m.items())), min(m), max(m, key=lambda k: m[k]))
big = {}
for i in range(1000):
    big[i] = i * 2
for i in range(0, 1000, 3):
    del big[i]
for i in range(0, 30, 3):
    big[i] = -i
print(len(big), sum(big.values()), list(big)[:5], list(big)[-12:])
print(repr({"q": "it's"}), str({1: [2]}), {1: {}}, dict(zip(range(3), "abc")))
try:
    {[1]: 2}
except TypeError as e:
    print("TypeError", e)
