# random: the Mersenne Twister stream and the derived methods must match CPython exactly for a given seed.
import random
random.seed(42)
print([random.random() for _ in range(5)])
random.seed(42)
print(random.random(), random.randint(1, 10), random.randint(-5, 5), random.randrange(100), random.randrange(10, 20, 3))
print([random.randint(0, 1000) for _ in range(10)])
print([random.randrange(0, 2 ** 40) for _ in range(3)], random.randrange(10 ** 30))
print(random.choice("abcdefg"), random.choice([10, 20, 30]), random.choice(range(1000)))
deck = list(range(20))
random.shuffle(deck)
print(deck)
print(random.sample(range(100), 5), random.sample(["a", "b", "c", "d"], 4), random.sample("xyz", 1))
print(random.uniform(1, 2), random.uniform(-10, 10), random.uniform(5, 5))
print(random.getrandbits(1), random.getrandbits(8), random.getrandbits(32), random.getrandbits(64), random.getrandbits(100))
print(random.choices("abc", k=6), random.choices(range(10), k=3))
random.seed(0)
print(random.random(), random.randint(1, 6))
random.seed(123456789)
print(random.random(), random.getrandbits(16))
random.seed(2 ** 70 + 11)
print(random.random())
random.seed(-42)
a = random.random()
random.seed(42)
print(a == random.random())
rng = random.Random(7)
other = random.Random(7)
print([rng.randint(1, 100) for _ in range(5)] == [other.randint(1, 100) for _ in range(5)])
print(rng.random(), rng.choice(["x", "y"]), rng.randrange(5))
random.seed(42)
state = random.getstate()
first = [random.random() for _ in range(3)]
random.setstate(state)
print(first == [random.random() for _ in range(3)])
random.seed(99)
counts = [0] * 6
for _ in range(6000):
    counts[random.randint(1, 6) - 1] += 1
print(counts, sum(counts))
random.seed(5)
data = list(range(50))
random.shuffle(data)
print(data[:10], sorted(data) == list(range(50)))
random.seed(11)
walk = 0
path = []
for _ in range(20):
    walk += random.choice((-1, 1))
    path.append(walk)
print(path)
random.seed(3)
print([round(random.uniform(0, 100), 3) for _ in range(5)])
random.seed(17)
print(random.sample(range(10 ** 6), 3), random.randrange(-100, 100, 7))
try:
    random.choice([])
except IndexError as e:
    print("IndexError", e)
try:
    random.randrange(5, 5)
except ValueError as e:
    print("ValueError", e)
try:
    random.sample([1, 2], 3)
except ValueError as e:
    print("ValueError", e)
