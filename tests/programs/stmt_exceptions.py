# Exception objects: args, str(), repr(), raise ... from ..., user hierarchies, attributes, builtin hierarchy.
class AppError(Exception):
    pass
class ConfigError(AppError):
    def __init__(self, key, detail="missing"):
        super().__init__(key, detail)
        self.key = key
        self.detail = detail
    def __str__(self):
        return "config key %r: %s" % (self.key, self.detail)
class NetworkError(AppError):
    code = 500
class TimeoutError_(NetworkError):
    code = 504
for exc in [AppError(), AppError("one"), AppError("a", 2), ConfigError("port"), TimeoutError_("slow")]:
    print(type(exc).__name__, exc.args, repr(str(exc)), repr(exc) if not isinstance(exc, ConfigError) else "custom")
def risky(n):
    if n == 0:
        raise ConfigError("host", "empty")
    if n == 1:
        raise TimeoutError_("took too long")
    if n == 2:
        raise NetworkError("down")
    return "ok"
for n in range(4):
    try:
        print(risky(n))
    except ConfigError as e:
        print("config:", e, e.key, e.detail)
    except NetworkError as e:
        print("network:", type(e).__name__, e, e.code, isinstance(e, AppError))
try:
    try:
        {}["k"]
    except KeyError as ke:
        raise AppError("lookup failed") from ke
except AppError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__, repr(e.__context__))
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("no context shown") from None
except ValueError as e:
    print(repr(e), e.__cause__, e.__suppress_context__, type(e.__context__).__name__)
print(str(KeyError("k")), str(KeyError("a", "b")), str(KeyError()), repr(KeyError("k")))
print(str(ValueError("a", 1)), repr(ValueError("a", 1)), str(IndexError(5)), repr(Exception()))
print(str(OSError(2, "No such file")), OSError(2, "x").errno, OSError(2, "x").strerror)
e = ValueError("mutable args")
e.args = ("changed",)
e.extra = 99
print(e, e.extra)
print(issubclass(KeyError, LookupError), issubclass(IndexError, LookupError), issubclass(ZeroDivisionError, ArithmeticError))
print(issubclass(OverflowError, ArithmeticError), issubclass(UnicodeDecodeError, ValueError), issubclass(RecursionError, RuntimeError))
print(issubclass(NotImplementedError, RuntimeError), issubclass(FileNotFoundError, OSError), issubclass(KeyboardInterrupt, Exception))
print(issubclass(StopIteration, Exception), issubclass(GeneratorExit, Exception), issubclass(SystemExit, BaseException))
print(issubclass(UnboundLocalError, NameError), issubclass(ModuleNotFoundError, ImportError), issubclass(AssertionError, Exception))
def raise_instance_or_class(flag):
    if flag:
        raise TypeError
    raise TypeError("instance")
for f in (True, False):
    try:
        raise_instance_or_class(f)
    except TypeError as e:
        print(repr(e), e.args)
try:
    raise AppError("with", "several", 3)
except Exception as e:
    a, b, c = e.args
    print(a, b, c, len(e.args))
errors = []
for func, arg in [(int, "x"), (float, "y"), (len, 5), (abs, "s"), (chr, -1)]:
    try:
        func(arg)
    except (ValueError, TypeError) as ex:
        errors.append((func.__name__, type(ex).__name__, str(ex)))
for item in errors:
    print(item)
try:
    raise 42
except TypeError as e:
    print("TypeError", e)
class WithInit(Exception):
    def __init__(self, a, b):
        self.total = a + b
        super().__init__("total=%d" % self.total)
try:
    raise WithInit(2, 3)
except WithInit as e:
    print(e, e.total, e.args)
def chain():
    try:
        raise KeyError("root")
    except KeyError as e:
        raise RuntimeError("wrapped") from e
try:
    chain()
except RuntimeError as e:
    cur = e
    names = []
    while cur is not None:
        names.append(type(cur).__name__ + ":" + str(cur))
        cur = cur.__cause__
    print(names)
