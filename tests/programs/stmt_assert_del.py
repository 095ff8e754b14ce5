# assert (caught AssertionError) and del in all its forms.
def check(v):
    assert v > 0, "value must be positive, got %d" % v
    return v * 2
print(check(5))
try:
    check(-1)
except AssertionError as e:
    print("AssertionError:", e, e.args)
try:
    assert 1 == 2
except AssertionError as e:
    print("bare assert:", repr(e), e.args)
try:
    assert [], ["list", "message"]
except AssertionError as e:
    print("non-str message:", e.args[0])
assert True
assert 1, "not raised"
msg_evaluated = []
def msg():
    msg_evaluated.append(1)
    return "m"
assert True, msg()
print("message evaluated only on failure:", msg_evaluated)
x = 10
y = [1, 2, 3, 4, 5, 6]
z = {"a": 1, "b": 2, "c": 3}
del x
try:
    print(x)
except NameError as e:
    print("NameError", e)
del y[0]
print(y)
del y[-1]
print(y)
del y[1:3]
print(y)
del y[:]
print(y)
del z["b"]
print(z)
try:
    del z["zz"]
except KeyError as e:
    print("KeyError", e)
a, b, c = 1, 2, 3
del a, b
print(c, "a" in dir(), "c" in dir())
class Obj:
    cls_attr = "class"
o = Obj()
o.p = 1
o.q = 2
del o.p
print(sorted(vars(o)), hasattr(o, "p"), o.cls_attr)
try:
    del o.p
except AttributeError as e:
    print("AttributeError", e)
try:
    del o.cls_attr
except AttributeError as e:
    print("AttributeError", e)
del Obj.cls_attr
print(hasattr(o, "cls_attr"))
nested = {"k": [1, {"inner": 2, "other": 3}]}
del nested["k"][1]["inner"]
print(nested)
def local_del():
    v = "local"
    del v
    try:
        return v
    except UnboundLocalError as e:
        return "UnboundLocalError " + str(e)
print(local_del())
lst = list(range(10))
del lst[::3]
print(lst)
class Deletable:
    def __init__(self):
        self.data = {1: "a", 2: "b"}
    def __delitem__(self, k):
        print("  __delitem__", k)
        del self.data[k]
d = Deletable()
del d[1]
print(d.data)
g = 5
def del_global():
    global g
    del g
del_global()
print("g" in globals())
for i in range(3):
    pass
del i
try:
    i
except NameError as e:
    print("NameError", e)
