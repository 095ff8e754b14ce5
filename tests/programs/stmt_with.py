# with statements: enter/exit order, exception info passed to __exit__, suppression, return/break inside with.
events = []
class Ctx:
    def __init__(self, name, swallow=()):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        events.append("enter:" + self.name)
        return self
    def __exit__(self, et, ev, tb):
        desc = "none" if et is None else "%s(%s)" % (et.__name__, ev)
        events.append("exit:%s:%s:%s" % (self.name, desc, tb is not None))
        return et is not None and issubclass(et, self.swallow)
def flush(label):
    print(label, events)
    events.clear()
with Ctx("plain") as c:
    events.append("body uses " + c.name)
flush("plain")
with Ctx("swallow", (ZeroDivisionError,)):
    events.append("before")
    1 / 0
    events.append("never")
flush("swallowed")
try:
    with Ctx("pass-through", (KeyError,)):
        raise ValueError("v")
except ValueError as e:
    events.append("caught " + str(e))
flush("propagated")
with Ctx("a"), Ctx("b"), Ctx("c"):
    events.append("body")
flush("three")
try:
    with Ctx("outer", (TypeError,)):
        with Ctx("inner", (KeyError,)):
            raise TypeError("t")
        events.append("after inner (not reached)")
    events.append("after outer")
except Exception as e:
    events.append("escaped " + type(e).__name__)
flush("nested")
def returns_inside():
    with Ctx("ret"):
        events.append("returning")
        return "value"
print(returns_inside())
flush("return")
for i in range(3):
    with Ctx("loop%d" % i):
        if i == 0:
            continue
        if i == 1:
            break
flush("loop")
class Boom:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *a):
        events.append("exit should not run")
try:
    with Ctx("first"), Boom():
        events.append("body not run")
except RuntimeError as e:
    events.append("caught " + str(e))
flush("enter-failure")
class ExitRaises:
    def __enter__(self):
        return "ER"
    def __exit__(self, et, ev, tb):
        raise KeyError("from exit")
try:
    with ExitRaises() as er:
        events.append("got " + er)
        raise ValueError("original")
except KeyError as e:
    events.append("KeyError context=%r" % (e.__context__,))
flush("exit-raises")
class Transaction:
    def __init__(self, store):
        self.store = store
    def __enter__(self):
        self.snapshot = dict(self.store)
        return self.store
    def __exit__(self, et, ev, tb):
        if et is not None:
            self.store.clear()
            self.store.update(self.snapshot)
            return True
        return False
store = {"balance": 100}
with Transaction(store) as s:
    s["balance"] -= 30
print(store)
with Transaction(store) as s:
    s["balance"] -= 500
    s["note"] = "overdraft"
    raise ValueError("insufficient")
print(store)
with Ctx("as-tuple") as (target):
    print(target.name)
flush("tuple-target")
