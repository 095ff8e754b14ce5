# re: match/search/fullmatch, groups (named, optional, nested), alternation order,
# greedy and lazy quantifiers, classes, anchors and flags, sub with templates and
# functions, split, findall/finditer (empty matches), escape, and pattern errors.
import re

for pat, s in [
    (r"\s*(?:#\s*)?$", "  # "), (r"\s*(?:#\s*)?$", " x"), (r"(\++|\-+|\^+)", "++--^"),
    (r"a(b|c)*d", "xabcbd"), (r"(a|ab)(c|bcd)(d*)", "abcd"), (r"(?P<y>\d{4})-(?P<m>\d\d)?", "on 2024- and"),
    (r"[a-c]+?c", "abcabc"), (r"(a*)*b", "aaab"), (r"(?i)straße", "STRAßE"), (r"\bfoo\b", "a foo."),
    (r"(?P<w>\w+) (?P=w)", "say hello hello"), (r"^\d+$", "12\n"), (r"x{2,3}?", "xxxx"), (r"[^\W\d]+", "12ab_c3"),
]:
    m = re.search(pat, s)
    print(repr(pat), repr(s), m and (m.group(), m.groups(), m.span(), m.groupdict(), m.lastindex))
    print("  match", bool(re.match(pat, s)), "fullmatch", bool(re.fullmatch(pat, s)))
print(re.sub(r"x*", "-", "abxd"), re.subn(r"(\w+)@(\w+)", r"\2 at \1", "joe@x ann@y"))
print(re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "a1b22c333", count=2))
print(re.split(r"(,)\s*", "a, b,c"), re.split(r"\W+", "one two  three", maxsplit=1), re.split("x*", "axbc"))
print(re.findall(r"(\w)(\d)?", "a1bc2"), re.findall(r"\d+", "a1b22"), re.findall(r"", "ab"))
print([m.span() for m in re.finditer(r"\w*", "ab cd")])
print(re.findall(r"^\w", "ab\ncd", re.M), re.findall(r"a.c", "a\nc abc", re.S), re.findall(rb"\d+", b"x12y3"))
p = re.compile(r"(?P<key>\w+)=(?P<val>[^;]*)", re.I)
print(p, p.groups, p.groupindex, p.pattern, p.flags == re.I | re.U)
print([m.group("key", "val") for m in p.finditer("a=1;b=;c=x y")], p.match("zz"))
m = p.search("  k=v")
print(m.start(), m.end("val"), m[0], m["key"], m.expand(r"\g<val>:\1"), m.string, m.re is p)
print(re.escape("a.b*c?d"), re.escape("plain_text"))
for bad in ["(", "a)", "a**", "[a", "x{3,1}", "(?P<1a>x)", "\\q"]:
    try:
        re.compile(bad)
    except re.error as e:
        print("error", repr(bad), e.msg)
try:
    re.search("a", b"a")
except TypeError as e:
    print("TypeError", e)
