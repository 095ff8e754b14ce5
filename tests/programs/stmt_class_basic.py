# Classes: instances, class attributes vs instance attributes, methods, __repr__/__str__, dynamic attributes.
class Dog:
    species = "canis"
    count = 0
    def __init__(self, name, age=1):
        self.name = name
        self.age = age
        Dog.count += 1
    def bark(self, times=1):
        return " ".join(["Woof"] * times) + " from " + self.name
    def birthday(self):
        self.age += 1
        return self
    def __repr__(self):
        return "Dog(%r, %d)" % (self.name, self.age)
    def __str__(self):
        return "%s the dog (%d)" % (self.name, self.age)
rex = Dog("Rex", 3)
fido = Dog("Fido")
print(rex, repr(rex), str(fido), [rex, fido], (rex,), {"d": fido})
print(rex.bark(), fido.bark(3), Dog.bark(rex, 2), rex.birthday().birthday().age)
print(Dog.count, rex.count, Dog.species, rex.species)
rex.species = "wolfish"
print(rex.species, fido.species, Dog.species)
Dog.species = "canis familiaris"
print(rex.species, fido.species)
del rex.species
print(rex.species)
rex.nickname = "R"
print(rex.nickname, hasattr(fido, "nickname"), sorted(vars(rex)), vars(fido))
print(type(rex).__name__, type(rex) is Dog, isinstance(rex, Dog), isinstance(rex, object), Dog.__name__)
bound = rex.bark
print(bound(2), bound.__name__, callable(bound))
class Empty:
    pass
e = Empty()
e.x = 1
e.y = [2]
print(e.x, e.y, sorted(vars(e).items()), isinstance(e, Empty))
class WithStr:
    def __str__(self):
        return "only str"
class WithRepr:
    def __repr__(self):
        return "only repr"
print(str(WithStr()), str(WithRepr()), repr(WithRepr()), [WithRepr()], "%s" % WithRepr(), f"{WithRepr()}")
class Counter:
    def __init__(self):
        self.n = 0
    def incr(self):
        self.n += 1
        return self
c = Counter()
c.incr().incr().incr()
print(c.n)
class Node:
    def __init__(self, val, nxt=None):
        self.val = val
        self.nxt = nxt
head = None
for v in range(5):
    head = Node(v, head)
vals = []
node = head
while node:
    vals.append(node.val)
    node = node.nxt
print(vals)
class Temperature:
    scale = "C"
    def __init__(self, deg):
        self.deg = deg
    def to_f(self):
        return self.deg * 9 / 5 + 32
temps = [Temperature(d) for d in (-40, 0, 37, 100)]
print([t.to_f() for t in temps], sorted(temps, key=lambda t: -t.deg)[0].deg)
try:
    rex.missing_attr
except AttributeError as e:
    print("AttributeError", e)
class Shared:
    items = []
    def add(self, v):
        self.items.append(v)
s1, s2 = Shared(), Shared()
s1.add(1)
s2.add(2)
print(Shared.items, s1.items is s2.items)
print(Dog.__dict__["species"], "bark" in Dog.__dict__, Dog.bark.__name__, getattr(rex, "name"))
