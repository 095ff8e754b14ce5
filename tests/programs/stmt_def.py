# Function definitions: defaults, keyword-only, *args, **kwargs, return forms, recursion, attributes.
def no_return():
    x = 1
def bare_return():
    return
def multi():
    return 1, "two", [3]
def early(n):
    if n < 0:
        return "negative"
    for i in range(n):
        if i * i > n:
            return i
    return None
print(no_return(), bare_return(), multi(), early(-1), early(20), early(0))
def greet(name, greeting="Hello", *, punct="!", upper=False):
    msg = greeting + ", " + name + punct
    return msg.upper() if upper else msg
print(greet("Ann"), greet("Bo", "Hi"), greet("Cy", punct="?"), greet("Di", upper=True, greeting="Yo"))
def varargs(*args):
    return len(args), sum(args) if args else 0
def kwargs_only(**kw):
    return [(k, kw[k]) for k in kw]
print(varargs(), varargs(1, 2, 3), kwargs_only(), kwargs_only(z=1, a=2, m=3))
def combo(a, b=2, *rest, key=None, **opts):
    return {"a": a, "b": b, "rest": rest, "key": key, "opts": opts}
print(combo(1))
print(combo(1, 3, 5, 7, key="k", extra=True))
DEFAULT = 10
def uses_default(x=DEFAULT):
    return x
DEFAULT = 20
print(uses_default(), DEFAULT)
def mutable_default(item, bucket=None):
    if bucket is None:
        bucket = []
    bucket.append(item)
    return bucket
print(mutable_default(1), mutable_default(2))
def fact(n):
    return 1 if n == 0 else n * fact(n - 1)
def is_even(n):
    return True if n == 0 else is_odd(n - 1)
def is_odd(n):
    return False if n == 0 else is_even(n - 1)
print(fact(20), is_even(10), is_odd(7), is_even(7))
def outer():
    def inner(v):
        return v * 2
    return inner(21), inner.__name__
print(outer())
def documented(a, b):
    "Adds two things."
    return a + b
print(documented.__doc__, documented.__name__, documented(1, 2), documented("x", "y"))
def counter_func():
    counter_func.calls += 1
    return counter_func.calls
counter_func.calls = 0
counter_func()
counter_func()
print(counter_func(), counter_func.calls)
ops = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "pow": pow}
print([ops[k](7, 3) for k in sorted(ops)])
def returns_function(kind):
    if kind == "sq":
        def f(x):
            return x * x
    else:
        def f(x):
            return -x
    return f
print(returns_function("sq")(9), returns_function("neg")(9))
def hanoi(n, src, dst, via, moves):
    if n:
        hanoi(n - 1, src, via, dst, moves)
        moves.append((src, dst))
        hanoi(n - 1, via, dst, src, moves)
    return moves
mv = hanoi(5, "A", "C", "B", [])
print(len(mv), mv[:5], mv[-1])
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))
print(ackermann(2, 3), ackermann(3, 3))
def pass_through(*args, **kwargs):
    return combo(*args, **kwargs)
print(pass_through(9, key=1, z=2))
print(type(greet).__name__, callable(greet), greet.__defaults__, greet.__kwdefaults__ == {"punct": "!", "upper": False})
