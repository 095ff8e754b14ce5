# Decorators: plain, with arguments, stacked, class decorators, functools.wraps, method decorators.
import functools
calls = []
def trace(fn):
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        result = fn(*args, **kwargs)
        print("  trace:", fn.__name__, args, sorted(kwargs.items()), "->", result)
        return result
    return wrapper
@trace
def add(a, b=0):
    return a + b
print(add(1, 2), add(5, b=6), add.__name__, calls)
def repeat(times):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return deco
@repeat(3)
def shout(word):
    "Shout a word."
    return word.upper()
print(shout("hey"), shout.__name__, shout.__doc__, shout.__wrapped__("raw"))
def tag(name):
    def deco(fn):
        def wrapper(*a):
            return "<%s>%s</%s>" % (name, fn(*a), name)
        return wrapper
    return deco
@tag("b")
@tag("i")
def text(s):
    return s
print(text("hello"))
order = []
def mark(label):
    order.append("make " + label)
    def deco(fn):
        order.append("apply " + label)
        return fn
    return deco
@mark("outer")
@mark("inner")
def marked():
    return "m"
print(marked(), order)
registry = {}
def register(fn):
    registry[fn.__name__] = fn
    return fn
@register
def alpha():
    return "A"
@register
def beta():
    return "B"
print(sorted(registry), [registry[k]() for k in sorted(registry)])
def memo(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    wrapper.cache = cache
    return wrapper
@memo
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), len(fib.cache))
def add_method(cls):
    cls.describe = lambda self: "I am " + type(self).__name__
    cls.decorated = True
    return cls
@add_method
class Thing:
    pass
print(Thing().describe(), Thing.decorated)
def check_positive(fn):
    def wrapper(self, v):
        if v < 0:
            raise ValueError("negative: %d" % v)
        return fn(self, v)
    return wrapper
class Account:
    def __init__(self):
        self.balance = 0
    @check_positive
    def deposit(self, v):
        self.balance += v
        return self.balance
acct = Account()
print(acct.deposit(10), acct.deposit(5))
try:
    acct.deposit(-1)
except ValueError as e:
    print("ValueError", e)
class CountCalls:
    def __init__(self, fn):
        self.fn = fn
        self.count = 0
    def __call__(self, *args):
        self.count += 1
        return self.fn(*args)
@CountCalls
def square(x):
    return x * x
print(square(3), square(4), square.count)
def deco_with_optional(fn=None, *, prefix=">"):
    def deco(f):
        return lambda *a: prefix + str(f(*a))
    return deco(fn) if fn else deco
@deco_with_optional
def one():
    return 1
@deco_with_optional(prefix="#")
def two():
    return 2
print(one(), two())
