# Floats: repr (shortest round-trip), arithmetic, special values, round, conversions.
vals = [0.1, 0.2, 0.1 + 0.2, 1.0, 1.5, -2.25, 1e16, 1e15, 123456789012345678.0,
        1e-5, 1e-4, 0.0001234, 1e22, 1e23, 5e-324, 1.7976931348623157e308,
        2.0 ** 0.5, 1 / 3, 2 / 3, 100.0, 1e100, -0.0, 0.0, 3.14159, 1.1 * 3]
for v in vals:
    print(repr(v), str(v))
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, float("-inf"), float("Infinity"), float("NaN"))
print(inf + 1, inf - inf, inf * 0, -inf * -1, 1 / inf)
print(nan == nan, nan != nan, nan < 1, inf > 1e308, -inf < -1e308)
print(-0.0 == 0.0, str(-0.0), repr(0.0 * -1), abs(-0.0))
print(float("1.5"), float("  -2.5e3 "), float("1_0.5"), float(7), float(-3), float(True))
for s in ["abc", "", "1.2.3"]:
    try:
        float(s)
    except ValueError as e:
        print("ValueError", e)
print(7.0 / 2, 7.0 // 2, 7.0 % 2, -7.0 // 2, -7.0 % 2, 7.5 % -2, divmod(7.5, 2))
print(2.0 ** 10, 2 ** 0.5, 4 ** 0.5, 10.0 ** -3, (-8.0) ** 3)
print(1e308 * 10, -1e308 * 10, 1e-320 / 1e10)
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5), round(-0.5))
print(round(2.675, 2), round(1.005, 2), round(3.14159, 3), round(-1.23456, 1), round(123.456, -1))
print(round(0.125, 2), round(0.375, 2), round(1e20, 2), type(round(2.5)).__name__, type(round(2.5, 0)).__name__)
print(int(2.9), int(-2.9), int(1e15), float(10 ** 20))
print((0.5).as_integer_ratio(), (0.1).as_integer_ratio(), (3.0).is_integer(), (3.5).is_integer())
print((1.5).hex(), float.fromhex("0x1.8p1"), (255.0).hex())
print(1.0 == 1, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-15, 1.0 < 2, 3 > 2.5)
print(max(1.5, 2), min(-0.0, 0.0), sum([0.1] * 10), sum([0.5, 0.25, 0.125]))
print(hash(1.0) == hash(1), hash(0.5), hash(-1.5), hash(2.0), hash(inf), hash(-inf))
acc = 0.0
for i in range(1, 1001):
    acc += 1.0 / (i * i)
print("basel", acc, repr(acc * 6) )
x = 1.0
for i in range(30):
    x = x * 1.1 - 0.05
print("iter", x)
print(float.__name__, isinstance(1.0, float), isinstance(1, float), (2.5).real, (2.5).imag)
print(3 * 0.1, 0.1 * 3, 1 - 0.9, 0.7 + 0.1, 1.23e-7, 12345.678e10)
print(9007199254740993.0, 9007199254740992 + 1.0, 2.0 ** 53 + 1)
print(1e16 + 1, 123e-20, 0.000001, 0.0000001, 1234567890123456.7, 12345678901234567.0)
