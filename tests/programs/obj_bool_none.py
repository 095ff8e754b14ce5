# bool and None: truthiness, arithmetic with bools, identity, short-circuit results.
print(True, False, None, repr(None), str(True))
print(True + True, True * 10, False - 1, True / 2, True // 1, -True, ~True, True << 3)
print(True & False, True | False, True ^ True, type(True & False).__name__, type(True + 0).__name__)
print(bool(0), bool(1), bool(-1), bool(0.0), bool(-0.0), bool(0.1), bool(""), bool("0"), bool(" "))
print(bool([]), bool([0]), bool(()), bool((None,)), bool({}), bool({0: 0}), bool(set()), bool(range(0)), bool(range(1)))
print(bool(None), bool(b""), bool(b"\x00"), bool(bytearray()), bool(frozenset([1])))
print(None is None, None == None, None != 0, None == False, 0 == False, 1 == True, 2 == True)
print(isinstance(True, int), isinstance(True, bool), isinstance(1, bool), type(None).__name__, type(True).__name__)
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "x", "" or [] or 0, "a" and "b" and "c")
print(not 0, not 1, not None, not "", not [1], not not 5)
calls = []
def t(v):
    calls.append(v)
    return v
r = t(0) and t(1)
print(r, calls)
calls.clear()
r = t(1) or t(2)
print(r, calls)
calls.clear()
r = t(0) or t("") or t(3) or t(4)
print(r, calls)
print(str(True).upper(), repr(False), f"{True}", f"{None}", "%s %r" % (True, None), "%d" % True)
print(int(True), float(False), bool("False"), True == 1.0, hash(True), hash(False), hash(None) == hash(None))
print(sorted([True, False, 0, 1, -1]), sum([True, True, False, True]), max(False, True))
print({True: "a", 1: "b", 1.0: "c"}, {False: 1, 0: 2})
print(True > False, False < True, True >= 1, [True, False].count(1), [0, 1, 2].index(True))
def f():
    pass
print(f(), f() is None, [f()], (lambda: None)())
x = None
if x is None:
    print("x is None")
if not x:
    print("x is falsy")
print(format(True, "d"), format(True, ">6"), format(False, "") + "|", "{}".format(None))
