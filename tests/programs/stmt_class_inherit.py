# Inheritance: single, multiple, MRO, super(), overriding, isinstance/issubclass.
class Animal:
    kind = "animal"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return "%s the %s says %s" % (self.name, self.kind, self.speak())
class Dog(Animal):
    kind = "dog"
    def speak(self):
        return "woof"
class Puppy(Dog):
    def __init__(self, name, toy):
        super().__init__(name)
        self.toy = toy
    def speak(self):
        return super().speak() + "!"
    def describe(self):
        return Animal.describe(self) + " and loves " + self.toy
class Cat(Animal):
    kind = "cat"
    def speak(self):
        return "meow"
for a in [Animal("Generic"), Dog("Rex"), Puppy("Bit", "ball"), Cat("Tom")]:
    print(a.describe())
print([c.__name__ for c in Puppy.__mro__])
print(isinstance(Puppy("p", "t"), Animal), issubclass(Puppy, Dog), issubclass(Dog, Puppy), issubclass(Cat, (Dog, Animal)), issubclass(Dog, Dog))
print(Puppy.__bases__[0].__name__, Animal.__bases__[0].__name__, Dog.kind, Puppy.kind)
class A:
    def who(self):
        return ["A"]
    def hello(self):
        return "A.hello"
class B(A):
    def who(self):
        return ["B"] + super().who()
class C(A):
    def who(self):
        return ["C"] + super().who()
    def hello(self):
        return "C.hello"
class D(B, C):
    def who(self):
        return ["D"] + super().who()
print(D().who(), D().hello(), [k.__name__ for k in D.__mro__])
print([k.__name__ for k in D.mro()])
class Base1:
    def __init__(self):
        self.trail = getattr(self, "trail", []) + ["Base1"]
        super().__init__()
class Base2:
    def __init__(self):
        self.trail = getattr(self, "trail", []) + ["Base2"]
        super().__init__()
class Mixed(Base1, Base2):
    def __init__(self):
        self.trail = ["Mixed"]
        super().__init__()
print(Mixed().trail)
class LoggingMixin:
    def log(self, msg):
        return "[%s] %s" % (type(self).__name__, msg)
class Shape:
    def area(self):
        raise NotImplementedError("subclass must implement")
    def __repr__(self):
        return "%s(area=%.2f)" % (type(self).__name__, self.area())
class Rect(LoggingMixin, Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
class Square(Rect):
    def __init__(self, s):
        super(Square, self).__init__(s, s)
shapes = [Rect(2, 3), Square(4)]
print(shapes, shapes[1].log("hi"), sorted(shapes, key=lambda s: -s.area()))
try:
    Shape().area()
except NotImplementedError as e:
    print("NotImplementedError", e)
try:
    class Bad(A, B):
        pass
except TypeError as e:
    print("TypeError for inconsistent MRO")
class X:
    val = 1
class Y(X):
    pass
Y.val = 2
print(X.val, Y.val)
del Y.val
print(Y.val)
class Vehicle:
    wheels = 0
    @classmethod
    def make(cls):
        return cls()
    def __repr__(self):
        return "%s with %d wheels" % (type(self).__name__, self.wheels)
class Bike(Vehicle):
    wheels = 2
class Car(Vehicle):
    wheels = 4
print(Vehicle.make(), Bike.make(), Car.make(), type(Car.make()).__name__)
class Exc(ValueError):
    pass
print(issubclass(Exc, Exception), issubclass(Exc, BaseException), [k.__name__ for k in Exc.__mro__])
print(issubclass(bool, int), issubclass(int, object), isinstance(True, (str, int)), type(D()).__mro__[1].__name__)
