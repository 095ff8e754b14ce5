# sys: argv, maxsize, exit (caught), stdout.write, modules, version_info, getrecursionlimit.
import sys
print(type(sys.argv).__name__, len(sys.argv) >= 1, sys.argv[0].endswith("lib_sys.py"), sys.argv[1:])
print(sys.maxsize, sys.maxsize == 2 ** 63 - 1, -sys.maxsize - 1, type(sys.maxsize).__name__)
print(sys.version_info[0], sys.version_info.major, sys.version_info >= (3, 0), tuple(sys.version_info[:2]) >= (3, 8))
print("sys" in sys.modules, "__main__" in sys.modules, sys.modules["sys"] is sys, __name__)
print(sys.getrecursionlimit() >= 1000, sys.byteorder in ("little", "big"), isinstance(sys.path, list))
n = sys.stdout.write("written with sys.stdout.write\n")
print("returned", n)
sys.stdout.write("no newline;")
sys.stdout.write(" same line\n")
sys.stdout.write("")
sys.stdout.write("unicode é日\n")
for code in [None, 0, 4, "message"]:
    try:
        if code is None:
            sys.exit()
        sys.exit(code)
    except SystemExit as e:
        print("SystemExit code=%r args=%r" % (e.code, e.args))
try:
    raise SystemExit(7)
except SystemExit as e:
    print("raised SystemExit", e.code, isinstance(e, Exception), isinstance(e, BaseException))
def nested_exit():
    try:
        sys.exit(2)
    finally:
        print("finally runs during sys.exit")
try:
    nested_exit()
except SystemExit as e:
    print("caught code", e.code)
print(sys.float_info.max, sys.float_info.epsilon, sys.float_info.dig, sys.float_info.mant_dig)
print(sys.int_info.bits_per_digit in (15, 30) or True, type(sys.stdout.write).__name__ in ("builtin_function_or_method", "method"))
print(sys.stdout is sys.__stdout__ or True, hasattr(sys.stderr, "write"))
sys.stderr.write("this goes to stderr and is not compared\n")
mod = sys.modules[__name__]
mod.injected = 5
print(injected)
print("done")
