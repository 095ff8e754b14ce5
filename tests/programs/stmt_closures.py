# Closures, nonlocal, global, late binding, independent cells.
def make_counter(start=0):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    def get():
        return count
    return inc, get
inc1, get1 = make_counter()
inc2, get2 = make_counter(100)
print(inc1(), inc1(), inc1(5), get1(), inc2(), get2(), get1())
def make_adders():
    return [lambda x, n=n: x + n for n in range(4)]
print([f(10) for f in make_adders()])
def make_late():
    fs = []
    for n in range(4):
        fs.append(lambda x: x + n)
    return fs
print([f(10) for f in make_late()])
def outer():
    x = "outer"
    def middle():
        x = "middle"
        def inner():
            nonlocal x
            x = "changed by inner"
            return x
        r = inner()
        return r, x
    res = middle()
    return res, x
print(outer())
total = 0
def add_global(v):
    global total
    total += v
    return total
print(add_global(5), add_global(7), total)
def define_global():
    global created_later
    created_later = "made in function"
define_global()
print(created_later)
shadow = "module"
def read_shadow():
    return shadow
def local_shadow():
    shadow = "local"
    return shadow
print(read_shadow(), local_shadow(), shadow)
def unbound():
    try:
        print(value)
    except UnboundLocalError as e:
        print("UnboundLocalError", e)
    value = 1
    return value
print(unbound())
def accumulator():
    items = []
    def add(x):
        items.append(x)
        return len(items)
    return add, items
add, items = accumulator()
add("a")
add("b")
print(items, add("c"), items)
def compose(*fns):
    def composed(x):
        for f in reversed(fns):
            x = f(x)
        return x
    return composed
inc_then_double = compose(lambda v: v * 2, lambda v: v + 1)
print(inc_then_double(5), compose()(7), compose(str, abs)(-3))
def curry(f, n):
    def collect(args):
        if len(args) == n:
            return f(*args)
        return lambda a: collect(args + [a])
    return collect([])
print(curry(lambda a, b, c: a * 100 + b * 10 + c, 3)(1)(2)(3))
def fib_gen():
    a, b = 0, 1
    def nxt():
        nonlocal a, b
        r = a
        a, b = b, a + b
        return r
    return nxt
nx = fib_gen()
print([nx() for _ in range(15)])
def cell_shared():
    v = 0
    def setter(n):
        nonlocal v
        v = n
    def getter():
        return v
    return setter, getter
s, g = cell_shared()
s(42)
print(g())
def deep(n):
    def level1():
        def level2():
            def level3():
                return n * 1000
            return level3() + n * 100
        return level2() + n * 10
    return level1() + n
print(deep(3))
class Scope:
    val = "class attr"
    def method(self):
        return val_global_check()
def val_global_check():
    return "function sees global only"
print(Scope().method())
