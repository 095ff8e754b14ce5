# print: sep, end, multiple args, no args, file=sys.stdout, flush, str() of many kinds of objects.
import sys
print()
print("a", "b", "c")
print("a", "b", "c", sep="")
print("a", "b", "c", sep=" | ")
print("no newline", end="")
print(" <- continued", end="!\n")
print("x", "y", sep="\n")
print(1, 2.0, None, True, [1], (2,), {"k": 3}, sep=",", end=";\n")
print(*range(5))
print(*"spread", sep="-")
print("", end="")
print("empty sep", "words", sep="")
print("to stdout", file=sys.stdout)
print("flushed", flush=True)
print("tab\tseparated", "new\nline")
print(repr("tab\tseparated"), repr("new\nline"))
print("sep None", "uses space", sep=None, end=None)
for i in range(3):
    print(i, end=" ")
print()
for i in range(3):
    print(i, i * i, sep=":", end=", " if i < 2 else "\n")
sys.stdout.write("written directly\n")
n = sys.stdout.write("abc")
print()
print("write returned", n)
print("unicode: é ü 日本 😀")
print(b"bytes value", bytearray(b"ba"))
print([["nested", ["lists"]], ("tuple", ("in", "tuple"))])
print({"a": [1, {"b": (2, 3)}]})
print(1e100, 1e-100, -0.0, 123456789.123456789, 1 / 7)
print(2 ** 200)
long_line = " ".join(str(i) for i in range(200))
print(len(long_line), long_line[-30:])
print("%s" % "percent", "{}".format("format"), f"{'fstring'}")
class Shown:
    def __str__(self):
        return "Shown.__str__"
    def __repr__(self):
        return "Shown.__repr__"
print(Shown(), [Shown()], (Shown(),), {"k": Shown()}, str(Shown()), repr(Shown()))
print("end with empty string", end="")
print()
print("multiple", "end", "chars", end="\n\n")
print("after blank line")
try:
    print("x", sep=5)
except TypeError as e:
    print("TypeError", e)
print(*[], sep="never shown")
print("last line without trailing newline", end="")
