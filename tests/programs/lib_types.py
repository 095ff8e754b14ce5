# types: the type names, SimpleNamespace, GenericAlias; __class_getitem__ on classes.
import types

def f():
    pass

class C:
    def m(self):
        pass

print(type(f) is types.FunctionType, types.LambdaType is types.FunctionType, type(C().m) is types.MethodType)
print(type(len) is types.BuiltinFunctionType, isinstance(types, types.ModuleType), types.NoneType is type(None))
print(isinstance((x for x in []), types.GeneratorType), types.EllipsisType is type(...))
ns = types.SimpleNamespace(a=1, b="x")
ns.c = [1]
print(ns, ns.a, ns == types.SimpleNamespace(a=1, b="x", c=[1]), ns == types.SimpleNamespace())

class Box:
    __class_getitem__ = classmethod(types.GenericAlias)

    def __init__(self, v=0):
        self.v = v

alias = Box[int]
print(alias.__origin__ is Box, alias.__args__, Box[int, str].__args__, Box[...].__args__)
print(repr(Box[int]).endswith("Box[int]"), repr(types.GenericAlias(list, (int, str))), repr(types.GenericAlias(dict, ())))
print(alias == Box[int], alias != Box[str], hash(alias) == hash(Box[int]))
b = alias(5)
print(type(b) is Box, b.v, b.__orig_class__ == alias)

class Plain:
    def __class_getitem__(cls, item):
        return (cls.__name__, item)

class Sub(Plain):
    pass

print(Plain[1], Sub["k"], Plain[1, 2])
try:
    C[int]
except TypeError as e:
    print("TypeError", e)
