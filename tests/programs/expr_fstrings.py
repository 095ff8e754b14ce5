# f-strings with format specs and conversions.
x = 3.14159
n = 1234567
s = "hi"
name = "Ada"
print(f"{x:>10.3f}|{x:<10.2f}|{x:^10.1f}|{x:010.4f}|{x:+.2f}|{-x:.0f}")
print(f"{n:,}|{n:_}|{n:>12,}|{-n:,}|{n:e}|{n:.2e}")
print(f"{5:08b}|{255:x}|{255:X}|{255:#x}|{8:o}|{8:#o}|{5:#b}|{255:08X}|{-5:b}")
print(f"{s!r}|{s!s}|{name!r:>8}|{'é'!a}|{s:>5}|{s:*<6}|{s:^7}|")
print(f"{n:d}|{n:10d}|{n:<10d}|{n:+d}|{-n: d}|{n: d}|{0:03d}|{-7:05d}|{7:=+5d}")
print(f"{0.5:%}|{0.123:.1%}|{1e-3:g}|{123456789.0:g}|{1.5e300:.3g}")
print(f"{name}, {len(name)} letters, upper={name.upper()}, first={name[0]}, {name * 2}")
items = [1, 2, 3]
d = {"k": "v", "n": 5}
print(f"{items} {items[1]} {d['k']} {d['n'] + 1} {sum(items)} {[i * 2 for i in items]}")
width, prec = 12, 2
print(f"[{x:{width}.{prec}f}] [{s:>{width}}] [{n:{'>'}{width},}]")
print(f"{{literal braces}} {{{n}}} {'{'}{'}'}")
print(f"{True} {None} {3 + 4 if False else 7} {1 if x > 3 else 0} {x > 3}")
print(f"{'nested ' + f'{n:,}'}", f"{f'{s}'!r}", f"{s}{s}" f"{name}" "plain")
print(f"{'left':<8}|{'right':>8}|{'mid':^9}|{'pad':_^9}|{'trunc':.3}|{'tr':>6.1}|")
class P:
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return "P(%r)" % (self.v,)
    def __str__(self):
        return "<P %s>" % self.v
    def __format__(self, spec):
        return "P-formatted[" + spec + "]"
p = P(7)
print(f"{p}|{p!r}|{p!s}|{p:xyz}|{p.v}|{p.v:03}")
for i in range(1, 4):
    print(f"{i:>2}: {i ** 3:>5} {i / 3:.3f} {'#' * i:<4}|")
print(f"{1_000_000:,.2f}", f"{12.5:08.3f}", f"{-0.0:.1f}", f"{float('inf'):>6}", f"{float('nan')}")
print(f"{'x'!r:^7}", f"{3!r}", f"{[1, 'a']!s}", f"{(1,)}", f"{ {'a': 1} }")
val = 42
print(f"{val=}", f"{val = }", f"{val=:>5}", f"{x=:.2f}")
print(f"{2 ** 100:,}", f"{10 ** 20:e}", f"{-(2 ** 70):x}", f"{2 ** 64:b}")
print(f"multi {n}"
      f" line {s}")
print(format(n, ","), format(s, ">4"), format(7, "03"), format(0.1, ".3"), format(12, ""), format("abc", ""))
