# Integers: arithmetic, floor division and modulo with negatives, shifts, bitwise, pow, int(str, base).
print(7 + 3, 7 - 3, 7 * 3, 7 / 2, 7 // 2, 7 % 3)
for a in (7, -7):
    for b in (3, -3):
        print(a, b, "//", a // b, "%", a % b, "divmod", divmod(a, b))
print(0 // 5, 0 % 5, -1 // 10, -1 % 10)
print(10 / 4, 9 / 3, -9 / 3, 1 / 3)
print(2 ** 10, 2 ** 0, (-2) ** 3, -2 ** 2, 2 ** -1, 10 ** -2)
print(pow(2, 10, 1000), pow(3, 200, 13), pow(-3, 3, 7), pow(5, -1, 7), pow(7, 0, 1))
print(1 << 0, 1 << 10, 5 << 3, 1024 >> 3, -16 >> 2, -1 >> 10, 7 >> 5)
print(12 & 10, 12 | 10, 12 ^ 10, ~12, ~0, ~-1)
print(-12 & 10, -12 | 10, -12 ^ 10, -12 & -10)
print(0xff & 0x0f, 0o17, 0b1011, 1_000_000)
print(abs(-5), abs(5), -(-5), +5)
print(int("42"), int("-17"), int("  12  "), int("+8"), int("1_000"))
print(int("ff", 16), int("FF", 16), int("777", 8), int("1011", 2), int("z", 36))
print(int("0x1f", 16), int("0o17", 0), int("0b101", 0), int("0x10", 0), int("99", 0))
print(int(3.9), int(-3.9), int(True), int(False), int())
for s in ["12a", "", "1.5", "0x10"]:
    try:
        print(int(s))
    except ValueError as e:
        print("ValueError", e)
try:
    int("9", 8)
except ValueError as e:
    print("ValueError", e)
print(bin(10), oct(10), hex(255), bin(-10), hex(-255), oct(0))
print((255).bit_length(), (0).bit_length(), (-8).bit_length(), (1024).bit_length())
print((10).to_bytes(2, "big"), int.from_bytes(b"\x01\x00", "big"), int.from_bytes(b"\x01\x00", "little"))
print(5 == 5.0, 5 < 6, 5 >= 5, 3 != 4, 1 == True)
print(max(3, 9, 2), min(3, 9, 2), sum(range(101)))
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(-17, -5))
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(7))
print(isinstance(3, int), isinstance(True, int), type(3).__name__, type(2 ** 100).__name__)
x = 0
for i in range(1, 50):
    x = (x * 31 + i) % 1000003
    x ^= i << 3
print("mix", x)
print(str(123), repr(-45), str(-0), 0 == -0)
print(int.__name__, (17).real, (17).imag, (17).numerator, (17).denominator)
print((-7) % 2, 7 % -2, -7 // 2, 7 // -2)
print(12345678 * 87654321, 99 ** 5, 3 ** 40)
