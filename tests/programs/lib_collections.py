# collections: deque, defaultdict, OrderedDict, namedtuple, Counter.
from collections import deque, defaultdict, OrderedDict, namedtuple, Counter
import collections
d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, len(d), d[0], d[-1], list(d))
print(d.pop(), d.popleft(), d)
d.extend([7, 8])
d.extendleft([-1, -2])
print(d)
d.rotate(2)
print(d)
d.rotate(-3)
print(d, d.count(7), d.index(8), 7 in d)
d.remove(7)
d.reverse()
print(d)
bounded = deque(maxlen=3)
for i in range(6):
    bounded.append(i)
    print(list(bounded), end=" ")
print(bounded.maxlen, bounded)
try:
    deque().pop()
except IndexError as e:
    print("IndexError", e)
dd = defaultdict(list)
for word in "apple avocado banana blueberry cherry".split():
    dd[word[0]].append(word)
print(dict(dd), dd["z"], sorted(dd), dd.default_factory.__name__)
counts = defaultdict(int)
for ch in "hello world":
    counts[ch] += 1
print(sorted(counts.items()), counts["missing"], len(counts))
nested = defaultdict(lambda: defaultdict(int))
nested["a"]["x"] += 1
nested["a"]["y"] += 2
nested["b"]["x"] += 3
print({k: dict(v) for k, v in nested.items()})
od = OrderedDict()
od["first"] = 1
od["second"] = 2
od["third"] = 3
print(od, list(od))
od.move_to_end("first")
print(list(od))
od.move_to_end("third", last=False)
print(list(od), od.popitem(), od.popitem(last=False), od)
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {"b": 2, "a": 1})
Point = namedtuple("Point", ["x", "y"])
p = Point(3, y=4)
print(p, p.x, p.y, p[0], p[-1], len(p), tuple(p), p == (3, 4), isinstance(p, tuple))
x, y = p
print(x, y, p._asdict(), p._replace(x=10), Point._fields, Point._make([5, 6]))
Person = namedtuple("Person", "name age city", defaults=["Nowhere"])
people = [Person("Ann", 31), Person("Bob", 25, "Paris")]
print(people, sorted(people, key=lambda q: q.age)[0].name, people[0].city)
try:
    p.x = 5
except AttributeError as e:
    print("AttributeError", e)
c = Counter("mississippi")
print(c, c["s"], c["z"], len(c), sorted(c.elements()))
print(c.most_common(2), c.most_common(), c.total() if hasattr(c, "total") else sum(c.values()))
c2 = Counter({"a": 3, "b": 1})
c3 = Counter(a=1, b=5, c=2)
print(c2 + c3, c2 - c3, c3 - c2, c2 & c3, c2 | c3)
c2.update("aab")
c2.subtract({"b": 10})
print(c2, +c2, -c2)
words = "the cat sat on the mat the end".split()
wc = Counter(words)
print(wc.most_common(1), wc["the"], list(wc.keys())[:3], sorted(wc.items()))
print(Counter([1, 1, 2, 3, 3, 3]).most_common(), Counter() == Counter(), dict(Counter("aab")))
q = deque()
for i in range(5):
    q.append(i * i)
order = []
while q:
    v = q.popleft()
    order.append(v)
    if v == 4:
        q.append(100)
print(order)
print(isinstance(dd, dict), isinstance(od, dict), isinstance(c, dict), collections.deque is deque)
