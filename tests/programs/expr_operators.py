# All operators, precedence, and operator/type combinations.
a, b = 17, 5
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** 2, -a, +a, ~a)
print(a & b, a | b, a ^ b, a << 2, a >> 2)
print(2 + 3 * 4, (2 + 3) * 4, 2 ** 3 ** 2, (2 ** 3) ** 2, -3 ** 2, (-3) ** 2, 10 - 4 - 3, 100 / 10 / 5)
print(1 + 2 << 3, 1 | 2 ^ 3 & 4, (1 | 2) ^ (3 & 4), 5 & 3 == 1, not 1 == 2, -2 ** -1)
print(2 * 3 % 4, 2 * (3 % 4), 7 // 2 * 2, 7 - -3, 7 - - - 3, ~~5, not not 0)
print(1 + 2.0, 3 * 1.5, 7 / 7, 2 ** 0.5 * 2 ** 0.5, 10 % 3.5, True + 1.5)
print("ab" + "cd", "ab" * 2, [1] + [2], [0] * 3, (1,) * 2, 3 * "x")
print(1 < 2, 2 <= 2, 3 > 4, 4 >= 4, 5 == 5, 5 != 5, "a" < "b", [1] < [2], (1, 2) <= (1, 2))
print(None is None, [] is not [], "x" in "xyz", 3 not in [1, 2])
x = 5
x += 3
print(x)
x -= 1
print(x)
x *= 4
print(x)
x //= 3
print(x)
x %= 5
print(x)
x **= 3
print(x)
x <<= 2
print(x)
x >>= 1
print(x)
x &= 0b11110
print(x)
x |= 0b1
print(x)
x ^= 0xff
print(x)
x /= 4
print(x)
s = "ab"
s += "cd"
s *= 2
print(s)
lst = [1, 2]
alias = lst
lst += [3]
print(lst, alias, lst is alias)
t = (1, 2)
talias = t
t += (3,)
print(t, talias, t is talias)
print(max(1, 2) + min(3, 4) * abs(-2), (lambda q: q * 2)(21), [1, 2, 3][1] + {"k": 10}["k"])
print(1 if True else 2, 1 if False else 2 if False else 3, "yes" if [] else "no")
print((1, 2) + (3,), [1, 2, 3][::-1][0], "hello"[1:][1:][1:], {1: [10, 20]}[1][-1])
print(0 or 0.0 or "" or None, 1 and "a" and [2], (0 and 1) or 5, not (1 and 0))
print(10 // -3, 10 % -3, -10 // 3, -10 % 3, 10.5 // -3, 10.5 % -3)
print(int.__add__(3, 4), (3).__mul__(5), (2).__rpow__(3), "ab".__add__("c"), [1].__len__())
print(abs(-3.5), -(-0.0), 0.0 == -0.0, 1e308 + 1e308, -(2 ** 63))
for op in ["+", "-", "*", "//", "%"]:
    row = []
    for p in (-7, 7):
        for q in (-2, 2):
            row.append({"+": p + q, "-": p - q, "*": p * q, "//": p // q, "%": p % q}[op])
    print(op, row)
print(5 if 1 else 6, (lambda: 7)() if callable(len) else 0)
y = z = 0
y, z = z + 1, y + 2
print(y, z)
