# math module.
import math
from math import sqrt, pi, floor, ceil
print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan != math.nan)
print(sqrt(2), sqrt(16), math.sqrt(0.25), math.isqrt(17), math.isqrt(10 ** 30), math.isqrt(0))
print(floor(2.7), floor(-2.7), ceil(2.1), ceil(-2.1), floor(5), type(floor(2.5)).__name__, math.trunc(-3.9), math.trunc(3.9))
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(-4, 6), math.gcd(2 ** 100, 6 ** 50), math.gcd(), math.gcd(12, 18, 27))
print(math.lcm(4, 6), math.lcm(3, 5, 7), math.factorial(0), math.factorial(20), math.factorial(30))
print(math.log(math.e), math.log(100, 10), math.log10(1000), math.log2(1024), math.log(8, 2), math.log1p(0), math.exp(0), math.exp(1))
print(math.log(2), math.log10(2), math.log2(3), math.exp(-1), math.exp(2.5))
print(math.sin(0), math.cos(0), math.sin(math.pi / 2), math.cos(math.pi), math.tan(math.pi / 4), math.atan(1) * 4)
print(math.sin(1), math.cos(1), math.tan(1), math.asin(1), math.acos(0), math.atan2(1, 1), math.atan2(-1, -1))
print(math.sinh(1), math.cosh(1), math.tanh(0.5), math.degrees(math.pi), math.radians(180), math.hypot(3, 4), math.hypot(1, 1, 1))
print(math.isnan(math.nan), math.isnan(1.0), math.isinf(math.inf), math.isinf(-math.inf), math.isinf(1e308), math.isfinite(1.0), math.isfinite(math.nan))
print(math.fabs(-3), math.copysign(2, -0.0), math.fmod(7, 3), math.fmod(-7, 3), -7 % 3, math.remainder(7, 3), math.modf(3.75), math.modf(-2.5))
print(math.pow(2, 10), math.pow(2, 0.5), math.frexp(8.0), math.ldexp(0.5, 4), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.comb(10, 3), math.comb(52, 5), math.perm(5, 2), math.perm(5), math.prod([1, 2, 3, 4]), math.prod([]), math.prod(range(1, 11)))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.1), math.isclose(1, 1.05, rel_tol=0.1), math.dist((0, 0), (3, 4)))
print(math.floor(-0.5), math.ceil(-0.5), math.floor(1e20), math.ceil(2 ** 60 + 0.0), math.floor(10 ** 30))
for bad in [lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.factorial(-1), lambda: math.isqrt(-4), lambda: math.log(-1)]:
    try:
        bad()
    except ValueError as e:
        print("ValueError", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError", e)
try:
    math.floor(math.inf)
except OverflowError as e:
    print("OverflowError", e)
try:
    math.floor(math.nan)
except ValueError as e:
    print("ValueError", e)
def newton_sqrt(v):
    x = v
    for _ in range(30):
        x = (x + v / x) / 2
    return x
print(newton_sqrt(2) == math.sqrt(2), abs(newton_sqrt(10) - math.sqrt(10)) < 1e-12)
total = 0.0
for k in range(1, 200):
    total += math.sin(k) * math.cos(k / 3) / k
print("series", total)
print([round(math.sin(math.radians(d)), 6) for d in range(0, 361, 45)])
print(math.sqrt(2 ** 60), math.sqrt(10 ** 20), math.exp(math.log(10)), math.floor(math.log10(12345)) + 1)
print(math.erf(0), math.gamma(5), math.lgamma(1))
