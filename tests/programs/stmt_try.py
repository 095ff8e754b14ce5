# try/except/else/finally: ordering, return inside finally, nested handlers, re-raise.
def attempt(kind):
    log = []
    try:
        log.append("try")
        if kind == "value":
            raise ValueError("bad value")
        if kind == "key":
            {}["nope"]
        if kind == "zero":
            1 / 0
        log.append("no error")
    except ValueError as e:
        log.append("ValueError: " + str(e))
    except (KeyError, IndexError) as e:
        log.append("lookup: " + repr(e))
    except Exception as e:
        log.append("other: " + type(e).__name__)
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log
for k in ["none", "value", "key", "zero"]:
    print(k, attempt(k))
def finally_overrides():
    try:
        return "from try"
    finally:
        return "from finally"
def finally_swallows():
    try:
        raise RuntimeError("lost")
    finally:
        return "swallowed"
def finally_runs_on_return():
    trail = []
    try:
        trail.append("body")
        return trail
    finally:
        trail.append("finally")
print(finally_overrides(), finally_swallows(), finally_runs_on_return())
def loop_with_finally():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out
print(loop_with_finally())
def reraiser():
    try:
        int("x")
    except ValueError:
        print("  handling, then re-raising")
        raise
try:
    reraiser()
except ValueError as e:
    print("outer caught:", e)
def nested():
    try:
        try:
            raise KeyError("inner")
        except ValueError:
            print("  wrong handler")
        finally:
            print("  inner finally")
    except KeyError as e:
        print("  outer got", repr(e))
        try:
            raise TypeError("during handling")
        except TypeError as e2:
            print("  handled second", e2)
    finally:
        print("  outer finally")
nested()
try:
    try:
        raise ValueError("first")
    except ValueError:
        raise RuntimeError("second")
except RuntimeError as e:
    print("context:", repr(e.__context__), e.__cause__, e.__suppress_context__)
e_outer = None
try:
    raise IndexError("bound")
except IndexError as e:
    e_outer = e
print(repr(e_outer))
try:
    print(e)
except NameError:
    print("NameError: 'e' was unbound after except")
def catch_base():
    try:
        raise SystemExit(5)
    except Exception:
        return "caught as Exception"
    except BaseException as b:
        return "caught as BaseException, code=%r" % (b.code,)
print(catch_base())
try:
    raise StopIteration
except Exception as e:
    print("StopIteration is an Exception:", type(e).__name__, e.args)
def counter_demo():
    n = 0
    while True:
        try:
            n += 1
            if n < 3:
                raise ValueError(n)
            return n
        except ValueError as err:
            print("  retry after", err.args[0])
print(counter_demo())
try:
    pass
except Exception:
    print("never")
else:
    print("else without exception")
finally:
    print("finally always")
try:
    x = [1, 2][5]
except IndexError as e:
    print("IndexError", e)
except Exception:
    print("not reached")
try:
    raise ValueError
except ValueError as e:
    print("bare class raise:", repr(e), e.args, str(e) == "")
