# Differential driver: markupsafe 3.0.4's C escape function (_speedups._escape_inner),
# on ASCII, Latin-1, BMP and astral text, and a wrong argument type.
import _speedups
esc = _speedups._escape_inner
for s in ["", "plain", "<a href='x'>&\"</a>", "caf\u00e9 <b>", "\u4e2d\u6587<&>", "emoji \U0001F600 & <", "x" * 50 + "<" * 3]:
    print(repr(esc(s)))
try:
    esc(b"bytes")
except TypeError as e:
    print("TypeError", e)
