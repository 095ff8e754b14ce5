# Dunder methods: arithmetic, reflected, in-place, comparison, __hash__, __eq__, __bool__, __len__, unary.
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __add__(self, o):
        if isinstance(o, Vec):
            return Vec(self.x + o.x, self.y + o.y)
        return NotImplemented
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        if isinstance(k, (int, float)):
            return Vec(self.x * k, self.y * k)
        return NotImplemented
    def __rmul__(self, k):
        return self.__mul__(k)
    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k)
    def __floordiv__(self, k):
        return Vec(self.x // k, self.y // k)
    def __mod__(self, k):
        return Vec(self.x % k, self.y % k)
    def __pow__(self, k):
        return Vec(self.x ** k, self.y ** k)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __pos__(self):
        return self
    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
    def __invert__(self):
        return Vec(self.y, self.x)
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __bool__(self):
        return bool(self.x or self.y)
v, w = Vec(1, 2), Vec(3, 4)
print(v + w, w - v, v * 3, 3 * v, w / 2, w // 2, w % 2, v ** 2, -v, +v, abs(w), ~v)
print(v == Vec(1, 2), v != w, v == "other", bool(Vec(0, 0)), bool(v), len({v, Vec(1, 2), w}))
try:
    v + 1
except TypeError as e:
    print("TypeError", e)
try:
    v * "s"
except TypeError as e:
    print("TypeError", e)
acc = Vec(0, 0)
for i in range(4):
    acc += Vec(i, i * i)
print(acc)
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __iadd__(self, o):
        self.cents += o
        return self
    def __radd__(self, o):
        return Money(self.cents + o)
    def __add__(self, o):
        return Money(self.cents + (o.cents if isinstance(o, Money) else o))
    def __lt__(self, o):
        return self.cents < o.cents
    def __le__(self, o):
        return self.cents <= o.cents
    def __gt__(self, o):
        return self.cents > o.cents
    def __ge__(self, o):
        return self.cents >= o.cents
    def __repr__(self):
        return "$%d.%02d" % divmod(self.cents, 100)
m = Money(150)
m_alias = m
m += 25
print(m, m is m_alias, 10 + m, sum([Money(1), Money(2)], Money(0)), sum([Money(5), Money(7)]))
print(sorted([Money(300), Money(5), Money(120)]), max(Money(1), Money(9)), Money(1) < Money(2) <= Money(2), Money(3) >= Money(4))
class Len:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
print(len(Len(5)), bool(Len(0)), bool(Len(2)), "empty" if not Len(0) else "full")
class OnlyEq:
    def __init__(self, k):
        self.k = k
    def __eq__(self, o):
        return self.k == getattr(o, "k", None)
print(OnlyEq(1) == OnlyEq(1), OnlyEq(1) != OnlyEq(2), OnlyEq(1) in [OnlyEq(0), OnlyEq(1)], [OnlyEq(3)].index(OnlyEq(3)))
try:
    hash(OnlyEq(1))
except TypeError as e:
    print("TypeError", e)
class Rev:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v > o.v
    def __repr__(self):
        return "Rev(%d)" % self.v
print(sorted([Rev(1), Rev(3), Rev(2)]), Rev(5) > Rev(9), min(Rev(1), Rev(2)))
class Num:
    def __init__(self, v):
        self.v = v
    def __int__(self):
        return int(self.v)
    def __float__(self):
        return float(self.v)
    def __index__(self):
        return int(self.v)
    def __rsub__(self, o):
        return "rsub(%r)" % (o,)
    def __rtruediv__(self, o):
        return "rtruediv(%r)" % (o,)
print(int(Num(3.7)), float(Num(2)), [10, 20, 30][Num(1)], hex(Num(255)), 5 - Num(1), 1 / Num(2), range(10)[Num(4)])
class Cmp:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        print("  eq called", self.v, o.v)
        return NotImplemented
print(Cmp(1) == Cmp(2), Cmp(1) != Cmp(1))
