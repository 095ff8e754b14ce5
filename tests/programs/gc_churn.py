# GC stress: millions of short-lived objects (tuples, strings, lists, instances, closures) with a few survivors.
class Particle:
    def __init__(self, x, y, vx, vy):
        self.x, self.y, self.vx, self.vy = x, y, vx, vy
    def step(self):
        return Particle(self.x + self.vx, self.y + self.vy, self.vx, self.vy - 1)
p = Particle(0, 0, 3, 50)
for _ in range(100000):
    p = p.step()
print("particle", p.x, p.y, p.vy)
keep = []
acc = 0
for i in range(300000):
    t = (i, i + 1, str(i))
    l = [t, t, i]
    if i % 10000 == 0:
        keep.append(l)
    acc = (acc + t[1] * len(l) + len(t[2])) % 1000000007
print("tuples/lists", acc, len(keep), keep[-1][0])
s = ""
parts = []
for i in range(50000):
    w = "w" + str(i % 97)
    parts.append(w.upper() if i % 3 == 0 else w)
    if len(parts) > 1000:
        s = s[-500:] + "|".join(parts)
        parts = []
print("strings", len(s), s[:40])
def make_adder(n):
    return lambda v: v + n
total = 0
for i in range(100000):
    total += make_adder(i)(1)
print("closures", total)
def gen(n):
    for i in range(n):
        yield [i] * 3
total = 0
for i in range(2000):
    for chunk in gen(50):
        total += chunk[2]
print("generators", total)
survivors = {}
for i in range(200000):
    obj = {"i": i, "sq": i * i, "tag": "t%d" % (i % 13)}
    if i % 997 == 0:
        survivors[i] = obj
print("dict churn", len(survivors), survivors[99700]["sq"], sorted(survivors)[-1])
matrix = [[0] * 50 for _ in range(50)]
for r in range(200):
    new = [[(matrix[i][j] + i * j + r) % 101 for j in range(50)] for i in range(50)]
    matrix = new
print("matrix", sum(map(sum, matrix)), matrix[49][49], matrix[0][:5])
exc_count = 0
for i in range(30000):
    try:
        if i % 3 == 0:
            raise ValueError("v%d" % i)
        [1][i % 2]
    except ValueError as e:
        exc_count += len(e.args[0]) > 0
    except IndexError:
        exc_count += 2
print("exceptions", exc_count)
big_ints = 0
for i in range(20000):
    big_ints = (big_ints + (2 ** 100 + i) * (3 ** 50 - i)) % (10 ** 40)
print("big ints", big_ints)
floats = 0.0
for i in range(200000):
    floats += (i % 10) * 0.1
print("floats", round(floats, 4))
sets_total = 0
for i in range(20000):
    s1 = {i, i + 1, i + 2}
    s2 = frozenset((i + 1, i + 5))
    sets_total += len(s1 | s2) + len(s1 & s2)
print("sets", sets_total)
print("survivor check", keep[3][0], keep[3][1] is keep[3][0], p.x)
