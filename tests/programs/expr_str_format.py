# str.format: positional, automatic, named, indexing, attribute access, nested specs.
print("{} {} {}".format(1, "two", 3.0))
print("{0} {1} {0}".format("a", "b"), "{1}{0}".format("x", "y"))
print("{name} is {age}".format(name="Eve", age=41), "{0[0]}-{0[1]}".format(["p", "q"]))
print("{d[key]} {d[other]}".format(d={"key": 1, "other": [2]}), "{0[2]}".format("xyz"), "{t[1][0]}".format(t=(0, (9, 8))))
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
pt = Point(3, 4)
print("({0.x}, {0.y})".format(pt), "{p.x}/{p.y}".format(p=pt), "{.x}".format(pt))
print("{:>8}|{:<8}|{:^8}|{:*>8}|{:#<8}|{:0>8}".format("r", "l", "c", "s", "h", 7))
print("{:.3f} {:10.2e} {:,} {:_x} {:b} {:o} {:%}".format(2 / 3, 12345.678, 10 ** 9, 2 ** 32, 10, 64, 0.75))
print("{0:{1}} | {0:>{w}.{p}f} | {2:{fill}{align}{w}}".format(3.14159, 10, "z", w=9, p=3, fill="-", align="^"))
print("{0!r} {0!s} {1!a} {0!r:>6}".format("q", "ñ"), "{!r}|{!s}".format("a", "b"))
print("{{}} {{{}}} {{0}}".format("in"))
print("{:+d} {: d} {:=+6d} {:06d} {:x} {:#X}".format(5, 5, -5, -5, 3054, 3054))
print("{:c}{:c}".format(80, 121), "{:s}".format("str"), "{:n}".format(1234), "{:g}".format(1e-5))
print("{0}{1}{0}".format(*"ab"), "{a}{b}".format(**{"a": 1, "b": 2}), "{}".format([1, {"k": (2,)}]))
print("{:5}|{:5}|{:<5}|{:>5}".format(1, "a", 2, "b"), "{:.2}".format("hello"), "{:.2}".format(3.14159))
for bad_call in [lambda: "{}{}".format(1), lambda: "{0}{}".format(1, 2), lambda: "{x}".format(y=1), lambda: "{:d}".format("s"), lambda: "{0[5]}".format([1])]:
    try:
        print(bad_call())
    except (IndexError, ValueError, KeyError) as e:
        print(type(e).__name__, e)
table = [("Widget", 4, 3.5), ("Gadget", 10, 12.25), ("Doohickey", 1, 100.0)]
header = "{:<10}|{:>5}|{:>9}".format("item", "qty", "price")
print(header)
print("-" * len(header))
for row in table:
    print("{:<10}|{:>5d}|{:>9.2f}".format(*row))
print("{:=^30}".format(" END "))
fmt = "{greeting}, {0}! You have {1:d} new {2}.".format
print(fmt("Ann", 3, "messages", greeting="Hi"), fmt("Bo", 1, "message", greeting="Hello"))
print(str.format("{}-{}", 1, 2), "{0:>{1}}".format("w", 4), "{:{}{}}".format(7, "0", 3))
print("{0.real} {0.imag}".format(5), "{0.__class__.__name__}".format([]), "{:>4}".format(True), "{}".format(True))
