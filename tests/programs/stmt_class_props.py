# staticmethod, classmethod, property (getter/setter/deleter), class-level counters, alternative constructors.
class Temperature:
    instances = 0
    def __init__(self, celsius=0.0):
        self._c = celsius
        Temperature.instances += 1
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @fahrenheit.setter
    def fahrenheit(self, f):
        self.celsius = (f - 32) * 5 / 9
    @staticmethod
    def c_to_k(c):
        return c + 273.15
    @classmethod
    def from_fahrenheit(cls, f):
        t = cls()
        t.fahrenheit = f
        return t
    @classmethod
    def count(cls):
        return cls.__name__ + ":" + str(cls.instances)
t = Temperature(25)
print(t.celsius, t.fahrenheit, Temperature.c_to_k(0), t.c_to_k(100))
t.celsius = 100
print(t.celsius, t.fahrenheit)
t.fahrenheit = 32
print(t.celsius, round(t.fahrenheit, 6))
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError", e)
u = Temperature.from_fahrenheit(212)
print(u.celsius, type(u).__name__, Temperature.count(), u.count())
class SubTemp(Temperature):
    pass
s = SubTemp.from_fahrenheit(50)
print(type(s).__name__, s.celsius, SubTemp.count())
class ReadOnly:
    def __init__(self):
        self._v = 42
    @property
    def v(self):
        "The value."
        return self._v
r = ReadOnly()
print(r.v, type(ReadOnly.v).__name__, ReadOnly.v.__doc__)
try:
    r.v = 1
except AttributeError as e:
    print("AttributeError", e)
class Managed:
    def __init__(self):
        self._x = None
        self.log = []
    def getx(self):
        self.log.append("get")
        return self._x
    def setx(self, v):
        self.log.append("set %r" % (v,))
        self._x = v
    def delx(self):
        self.log.append("del")
        self._x = "deleted"
    x = property(getx, setx, delx)
m = Managed()
m.x = 5
m.x += 1
print(m.x)
del m.x
print(m.x, m.log)
class Circle:
    def __init__(self, r):
        self.r = r
    @property
    def area(self):
        return round(3.14159 * self.r ** 2, 3)
    @property
    def diameter(self):
        return self.r * 2
    @diameter.setter
    def diameter(self, d):
        self.r = d / 2
c = Circle(2)
print(c.area, c.diameter)
c.diameter = 10
print(c.r, c.area)
class Util:
    @staticmethod
    def add(a, b):
        return a + b
    @staticmethod
    def nothing():
        return "static no args"
print(Util.add(2, 3), Util().add(4, 5), Util.nothing(), Util().nothing())
class Registry:
    _items = []
    @classmethod
    def register(cls, item):
        cls._items.append(item)
        return cls
    @classmethod
    def items(cls):
        return list(cls._items)
Registry.register("a").register("b")
print(Registry.items(), Registry().items())
class Lazy:
    def __init__(self):
        self.computed = 0
    @property
    def value(self):
        if not hasattr(self, "_cache"):
            self.computed += 1
            self._cache = sum(range(100))
        return self._cache
lz = Lazy()
print(lz.value, lz.value, lz.computed)
print(isinstance(Temperature.__dict__["c_to_k"], staticmethod), isinstance(Temperature.__dict__["count"], classmethod))
