# Big integers: arithmetic beyond 64 bits, division, modulo, shifts, bitwise, conversions.
a = 2 ** 100
b = 3 ** 70
print(a)
print(b)
print(a + b, a - b, b - a)
print(a * b)
print(a // 7, a % 7, -a // 7, -a % 7)
print(b // a, b % a, divmod(b, -a))
print(a // b, (a * b) // b == a)
print(a << 50, a >> 37, -a >> 37, (-a) >> 200)
print(a & b, a | b, a ^ b, ~a)
print(-a & b, (-b) | a, (-a) ^ (-b))
print(hex(a), oct(b), bin(2 ** 70 + 1))
print(hex(-b))
print(int("123456789012345678901234567890"), int("-99999999999999999999999"))
print(int("f" * 40, 16))
print(int("1" * 90, 2))
print(str(10 ** 50), len(str(7 ** 300)))
print(pow(2, 1000, 10 ** 9 + 7), pow(b, a, 2 ** 61 - 1))
print(2 ** 64, 2 ** 63 - 1, -2 ** 63, 2 ** 64 - 1)
print(9223372036854775807 + 1, -9223372036854775808 - 1)
print(9223372036854775807 * 9223372036854775807)
print(4611686018427387904 * 2, 4611686018427387904 + 4611686018427387904)
print(a == 2 ** 100, a < b, a > b, a != b, a == float(a))
print(float(a), float(b), a / b, b / 3)
print(int(1e20), int(-1.5e30), int(2.0 ** 80))
print(abs(-a), -(-b), (a).bit_length(), (-b).bit_length())
f = 1
for i in range(1, 41):
    f *= i
print("40!", f)
print("40! digits sum", sum(int(c) for c in str(f)))
print("40! // 39!", f // (f // 40))
fib = [0, 1]
for i in range(200):
    fib.append(fib[-1] + fib[-2])
print("fib200", fib[200])
print("fib mod", fib[200] % 1000000007, fib[150] * fib[160] % (10 ** 20))
n = 1
for i in range(60):
    n = n * 6364136223846793005 + 1442695040888963407
    n %= 2 ** 128
print("lcg128", n)
print(round(a, -20), round(123456789123456789123, -5))
print(hash(2 ** 61 - 1), hash(2 ** 61), hash(-(2 ** 61)), hash(2 ** 100))
print(sorted([a, -a, b, 0, 1, -b]))
print(max(a, b), min(a, b), sum([a, b, a]))
print((10 ** 30).to_bytes(13, "big"))
print(int.from_bytes(b"\xff" * 12, "little"), int.from_bytes(b"\xff" * 12, "big", signed=True))
print(divmod(-(10 ** 25), 7 ** 12), divmod(10 ** 25, -(7 ** 12)))
print(-(10 ** 25) % 7, (10 ** 25) % -7)
