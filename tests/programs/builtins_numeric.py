# Numeric builtins: abs, round, divmod, pow, min, max (key/default), sum, hex, oct, bin, int, float, bool.
print(abs(-7), abs(7), abs(-2.5), abs(0), abs(-0.0), abs(True), abs(-2 ** 80))
print(round(3.14159), round(3.14159, 2), round(2.5), round(3.5), round(-1.5), round(17, -1), round(15, -1), round(25, -1))
print(round(0.1 + 0.2, 10), round(1e15 + 0.5), round(-0.6), round(123.456, -2), round(5, 2), type(round(5.0)).__name__)
print(divmod(7, 2), divmod(-7, 2), divmod(7.5, 2), divmod(-7.5, 2), divmod(0, 5), divmod(2 ** 65, 1000))
print(pow(2, 8), pow(2, -2), pow(2.5, 2), pow(8, 1 / 3), pow(3, 4, 5), pow(10, 100, 7), pow(0, 0))
print(min(3, 1, 2), max(3, 1, 2), min([4, 5]), max("abc"), min("zebra", "apple"), max([1, 5], [1, 6]), min((2, "b"), (2, "a")))
print(max([], default=None), min([], default="empty"), max([3], default=0), max(["aa", "b", "ccc"], key=len), min(["aa", "b", "ccc"], key=len))
print(max([1, 3, 2], key=lambda v: -v), min({"a": 3, "b": 1}, key={"a": 3, "b": 1}.get), max(range(10), key=lambda v: v % 4))
print(max(2, 2.0), max(2.0, 2), min(1, True), max([0, False]), max("b", "a", key=str.upper))
for bad in [lambda: max([]), lambda: min(), lambda: max(1)]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(sum([1, 2, 3]), sum([]), sum([1, 2], 10), sum([0.1] * 3), sum(range(101)), sum([[1], [2]], []), sum((i * i for i in range(5)), 0.0))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError", e)
print(hex(0), hex(255), hex(-1), hex(2 ** 40), oct(8), oct(-8), bin(0), bin(5), bin(-5), bin(2 ** 20))
print(int("101", 2), int("-0x1A", 16), int("  7 "), int(7.99), int(-7.99), int("0"), int(True))
print(float("3"), float(" -1.5e2 "), float("inf"), float("-nan") != float("-nan"), float(2 ** 60), float("1e500"))
print(bool(), int(), float(), str(), list(), tuple(), dict(), repr(set()))
nums = [17, -4, 9, 0, 23, -11, 5]
print(sorted(nums, key=abs), max(nums, key=abs), min(nums, key=lambda v: (v % 5, v)), sum(nums) / len(nums))
print(abs(-3) + round(2.7) * divmod(17, 5)[1] - pow(2, 3), max(min(15, 10), 3))
print(round(2.675, 2), round(-2.675, 2), round(0.5 + 1e-9), round(1234.5678, 1), round(1234.5678, -1))
print(int(1e18), int(1.5e18), int(-9.999e17), float(10 ** 18) == 1e18, 10 ** 18 == 1e18, 2 ** 53 + 1 == float(2 ** 53 + 1))
print(7 // 2.0, 7 % 2.5, -7 // 2.0, 2 ** 0.5 == pow(2, 0.5), divmod(1, 0.3))
