# Constructor builtins converting between types: int, float, str, bool, list, tuple, dict, set, frozenset, bytes, bytearray, chr/ord.
src = [3, 1, 3, 2]
print(list(src), tuple(src), sorted(set(src)), sorted(frozenset(src)), dict.fromkeys(src))
print(list("abc"), tuple("abc"), sorted(set("abca")), list(b"AB"), list(bytearray(b"\x01\x02")))
print(list({"x": 1, "y": 2}), list({"x": 1}.items()), tuple(range(3)), list(reversed(range(3))))
print(dict([("a", 1), ["b", 2]]), dict(zip("ab", [1, 2])), dict(a=1), dict({"a": 1}, b=2), dict([]))
try:
    dict([("a", 1, 2)])
except ValueError as e:
    print("ValueError", e)
try:
    dict([1, 2])
except TypeError as e:
    print("TypeError", e)
print(str(1), str(-1.5), str([1, "a"]), str((1,)), str({"k": "v"}), str(True), str(None), str(b"x"), str(str))
print(int("12"), int(12.9), int("-0"), int(" 42\n"), int("0b11", 0), int("11", 3), int("Z", 36), int(False))
print(float("12"), float(12), float("  3.5 "), float("-inf"), float("1e3"), float(".5"), float("5."), float("-.5e-1"))
print(bool("x"), bool(""), bool([0]), bool(0), bool(None), bool(range(0)), bool(1.0e-300))
print(bytes("abc", "ascii"), bytes([1, 2, 255]), bytes(2), bytes(b"copy"), bytes(bytearray(b"ba")), bytes(range(65, 70)))
print(bytearray("xyz", "utf-8"), bytearray(3), bytearray([7, 8]), bytearray(b"q"))
print(chr(65), chr(955), chr(0x1F40D), ord("A"), ord("λ"), ord("🐍"), [ord(ch) for ch in "Hi!"], "".join(chr(n) for n in [80, 121]))
for bad in [lambda: chr(0x110000), lambda: ord("ab"), lambda: ord(""), lambda: int(None), lambda: float([]), lambda: list(5)]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(list(map(int, ["1", "22", "-3"])), list(map(float, ["1.5", "2"])), list(map(str, [1, 2.5, None])))
print(tuple([[1, 2], [3]]), list(((1, 2), (3,))), [list(t) for t in ((1, 2), (3,))], set([(1, 2), (1, 2)]))
print(int(str(2 ** 70)) == 2 ** 70, float(str(0.1)) == 0.1, str(float("1e16")))
print(round(float("2.5")), int(float("2.5")), int("-2"), abs(int("-2")), str(int("007")), repr(str(7)))
s = "1,2,3,4"
nums = [int(v) for v in s.split(",")]
print(nums, sum(nums), ",".join(map(str, reversed(nums))), tuple(sorted(nums, reverse=True)))
print(list(str(12345)), int("".join(sorted(str(53142)))), [int(d) for d in str(2 ** 20)])
hexes = [hex(v) for v in (0, 10, 255, 4096)]
print(hexes, [int(h, 16) for h in hexes], [int(h, 0) for h in hexes])
print(bin(42), int(bin(42), 2), oct(42), int(oct(42), 8), format(42, "b"), format(42, "o"), format(42, "x"))
print(frozenset("aab") == frozenset("ab"), set(frozenset([1])) == {1}, type(set(frozenset())).__name__)
print(list(dict(a=1, b=2).values()), list(zip(*dict(a=1, b=2).items())))
