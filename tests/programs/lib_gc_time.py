# gc and time: only deterministic facts are printed (no counts, no clock values).
import gc
import time
print(gc.isenabled())
n = gc.collect()
print(type(n).__name__, n >= 0)
gc.disable()
print(gc.isenabled())
junk = [[i] * 10 for i in range(10000)]
del junk
gc.enable()
print(gc.isenabled())
class Cycle:
    def __init__(self, name):
        self.name = name
        self.other = None
survivors = []
for i in range(2000):
    a = Cycle("a%d" % i)
    b = Cycle("b%d" % i)
    a.other = b
    b.other = a
    if i % 500 == 0:
        survivors.append(a)
del a, b
print(type(gc.collect()).__name__)
print([s.name + "->" + s.other.name + "->" + s.other.other.name for s in survivors])
for gen in range(3):
    print("collect gen", gen, type(gc.collect(gen)).__name__)
t0 = time.time()
m0 = time.monotonic()
p0 = time.perf_counter()
s = 0
for i in range(200000):
    s += i % 7
t1 = time.time()
m1 = time.monotonic()
p1 = time.perf_counter()
print(s, type(t0).__name__, t1 >= t0, m1 >= m0, p1 >= p0, t0 > 1.6e9)
print(type(time.time_ns()).__name__, time.time_ns() > 1600000000 * 10 ** 9)
time.sleep(0.01)
print(time.monotonic() - m1 >= 0.005)
lt = time.gmtime(0)
print(lt.tm_year, lt.tm_mon, lt.tm_mday, lt.tm_hour, lt.tm_wday, lt.tm_yday)
print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(86400 * 365)))
print(time.gmtime(1700000000)[:6])
big = {}
for i in range(50000):
    big[i] = str(i)
gc.collect()
print(len(big), big[49999], sum(len(v) for v in big.values()))
print(gc.isenabled(), "done")
