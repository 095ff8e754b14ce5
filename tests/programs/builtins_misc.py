# Introspection builtins: isinstance, issubclass, type, hash, repr, callable, getattr/setattr/hasattr/delattr, vars, dir, id-free identity.
class Base:
    tag = "base"
    def method(self):
        return "m"
class Child(Base):
    def __init__(self):
        self.a = 1
        self.b = "two"
c = Child()
print(isinstance(c, Child), isinstance(c, Base), isinstance(c, (int, Base)), isinstance(c, int), isinstance(3, (str, float)))
print(issubclass(Child, Base), issubclass(Base, Child), issubclass(Child, (int, object)), issubclass(int, int))
print(type(c).__name__, type(c) is Child, type(Child).__name__, type(type).__name__, type(None).__name__, type(len).__name__)
print(type(1), type("s"), type([]), type(()), type({}), type(set()), type(1.0), type(True), type(None), type(b""))
print(type(c.method).__name__, type(Child.method).__name__, type(lambda: 0).__name__, type(range(1)), type(x for x in ()).__name__)
print(hash(0), hash(1), hash(-1), hash(-2), hash(12345), hash(2 ** 31), hash((1, 2, 3)), hash(()), hash((0,)), hash(True))
print(hash(1) == hash(1.0), hash((1, "a")) == hash((1, "a")), hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
print(repr(1), repr("s"), repr([1, "a"]), repr((1,)), repr({"k": None}), repr(1.5), repr(True), repr(b"x"), repr(None))
print(callable(len), callable(c), callable(Child), callable(c.method), callable(1), callable("s"), callable(lambda: 0))
print(getattr(c, "a"), getattr(c, "tag"), getattr(c, "zzz", "default"), hasattr(c, "b"), hasattr(c, "zzz"), hasattr(c, "method"))
setattr(c, "dynamic", [1, 2])
print(c.dynamic, getattr(c, "dynamic"))
delattr(c, "a")
print(hasattr(c, "a"), sorted(vars(c)), vars(c)["b"])
try:
    getattr(c, "missing")
except AttributeError as e:
    print("AttributeError", e)
try:
    delattr(c, "missing")
except AttributeError as e:
    print("AttributeError", e)
print(getattr(c, "method")(), getattr(Base, "tag"), getattr("abc", "upper")(), getattr([], "append").__name__)
print([n for n in dir(c) if not n.startswith("__")])
print([n for n in dir(Child) if not n.startswith("__")])
print(sorted(vars(Child)) == sorted(k for k in Child.__dict__), "tag" in vars(Base), "tag" in vars(Child))
x = [1, 2]
y = x
z = [1, 2]
print(x is y, x is z, x == z, id(x) == id(y), id(x) == id(z))
print(len("abc"), len([1]), len({}), len(range(3, 10, 2)), len(b"xy"), len({1, 2}), len((1, 2, 3)))
print(str(42), str(1.0), str([1]), str(None), str("s"), str(b"b"), str(Child.__name__))
print(ord("A"), chr(66), ord("\t"), chr(0x263A), [chr(c) for c in range(97, 102)])
print(sorted(globals().keys() & {"Base", "Child", "c", "x"}))
def local_scope(p, q=2):
    r = p + q
    return sorted(locals().items())
print(local_scope(1))
print(isinstance(print, object), isinstance(Child, type), isinstance(type, type), isinstance(object, type))
print(type(3)(4.7), type("x")(12), type([])("ab"), type(c)().b)
print(int.__name__, str.__name__, Child.__qualname__, Child.method.__qualname__, Base.__module__)
print(abs.__name__, len.__name__, max.__name__, type(abs).__name__)
class Slotted:
    def __init__(self):
        self.x = 1
s = Slotted()
s.__dict__["y"] = 2
print(s.y, vars(s), s.__class__.__name__, s.__class__ is Slotted)
