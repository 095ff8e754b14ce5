# Differential driver for CPython's example module `xx` (xxmodule.c): module functions,
# the Xxo type (tp_getattro over a per-object dict, tp_setattr with C-string names,
# a METH_VARARGS method, tp_dealloc), the str subclass Str, the Null type (a
# tp_richcompare that returns NotImplemented, tp_new = PyType_GenericNew), and the
# module's own exception. Output must be identical on CPython 3.11 and Thicket.
import xx


def attempt(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "raises", type(e).__name__, str(e))


print(sorted(n for n in dir(xx) if not n.startswith("__")))
print(xx.__name__, xx.__doc__)

# Functions.
print(xx.foo(2, 3), xx.foo(-7, 10**6))
attempt("foo()", lambda: xx.foo())
attempt("foo(1, 'a')", lambda: xx.foo(1, "a"))
attempt("foo(1, 2, 3)", lambda: xx.foo(1, 2, 3))
attempt("roj()", lambda: xx.roj())
attempt("new(1)", lambda: xx.new(1))

# Xxo objects.
o = xx.new()
print(type(o).__name__, type(o).__module__, type(o).__qualname__)
print(o.demo())
attempt("demo(1)", lambda: o.demo(1))
attempt("missing", lambda: o.missing)
o.spam = 42
o.eggs = [1, 2, 3]
print(o.spam, o.eggs)
o.spam = "replaced"
print(o.spam)
del o.spam
attempt("deleted", lambda: o.spam)


def delete_twice():
    del o.spam


attempt("delete again", delete_twice)
print(getattr(o, "eggs"), getattr(o, "nothing", "default"), hasattr(o, "eggs"), hasattr(o, "x"))
setattr(o, "name", "xxo")
print(o.name)
# The method is still found through the generic lookup.
print(callable(o.demo), o.demo.__name__)
attempt("Xxo()", lambda: type(o)())

# Many objects, each with its own dict: they move and are collected.
objs = []
for i in range(2000):
    x = xx.new()
    x.index = i
    x.label = "x%d" % i
    objs.append(x)
total = 0
for x in objs:
    total += x.index
    assert x.label == "x%d" % x.index
print("objects", len(objs), total)
objs = None


# Str: a str subclass defined in C.
s = xx.Str("hello")
print(type(s).__name__, isinstance(s, str), s, s.upper(), len(s), s + "!", s == "hello")
print(issubclass(xx.Str, str), xx.Str.__mro__[1].__name__)

# Null: richcompare returns NotImplemented for everything.
n1 = xx.Null()
n2 = xx.Null()
print(type(n1).__name__, n1 == n1, n1 == n2, n1 != n2)
attempt("n1 < n2", lambda: n1 < n2)
attempt("hash(Null())", lambda: hash(n1))


class Sub(xx.Null):
    def hello(self):
        return "sub of Null"


sub = Sub()
print(sub.hello(), isinstance(sub, xx.Null), sub == sub)

# The module's exception.
print(xx.error.__name__, issubclass(xx.error, Exception))
try:
    raise xx.error("boom")
except xx.error as e:
    print("caught", type(e).__name__, e)

# bug(): prints a list item with PyObject_Print to C's stdout, then replaces it. Last
# on stdout, so that C's stdio buffer and the interpreter's output cannot interleave
# differently; the list is shown on stderr (the harness compares its last line).
import sys

lst = [10, 20]
print("before bug")
sys.stdout.flush()
xx.bug(lst)
print("after bug", lst, file=sys.stderr)
