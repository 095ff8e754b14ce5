# Differential driver: cdifflib 1.2.9 (CSequenceMatcher over the C module _cdifflib),
# next to the host's own difflib.py, which both runtimes run. Every result of the C
# matcher is printed and checked against difflib.SequenceMatcher; the diff functions
# are run with the C matcher swapped in; the C functions are called directly,
# including with bad arguments (the errors the module raises itself).
import difflib
import cdifflib
import _cdifflib
from cdifflib import CSequenceMatcher

print("version", cdifflib.__version__, sorted(n for n in dir(_cdifflib) if not n.startswith("__")))

words = "the quick brown fox jumps over the lazy dog".split()
lines_a = ["line %d\n" % i for i in range(30)]
lines_b = list(lines_a)
lines_b[3] = "changed 3\n"
del lines_b[10:13]
lines_b.insert(20, "inserted\n")
lines_b.append("tail\n")
long_a = [i % 7 for i in range(260)]
long_b = [i % 5 for i in range(250)]
pairs = [
    ("", ""),
    ("abc", ""),
    ("", "abc"),
    ("abcd", "bcde"),
    ("qabxcd", "abycdf"),
    ("private Thread currentThread;", "private volatile Thread currentThread;"),
    (words, words[::-1]),
    (words, words[:4] + ["cat"] + words[5:]),
    (lines_a, lines_b),
    ((1, 2, 3, 4, 5), [2, 3, 9, 4, 5, 1]),
    (long_a, long_b),
    ("a" * 300 + "b", "a" * 250 + "c"),
]


def show(tag, sm):
    print(tag, "blocks", list(sm.get_matching_blocks()))
    print(tag, "opcodes", sm.get_opcodes())
    print(tag, "ratios", round(sm.ratio(), 6), round(sm.quick_ratio(), 6), round(sm.real_quick_ratio(), 6))
    print(tag, "grouped", list(sm.get_grouped_opcodes(1)))


for n, (a, b) in enumerate(pairs):
    for autojunk in (True, False):
        cm = CSequenceMatcher(None, a, b, autojunk=autojunk)
        pm = difflib.SequenceMatcher(None, a, b, autojunk=autojunk)
        tag = "pair%d/%s" % (n, autojunk)
        show(tag, cm)
        same = (list(cm.get_matching_blocks()) == list(pm.get_matching_blocks())
                and cm.get_opcodes() == pm.get_opcodes())
        print(tag, "same as difflib:", same)
        la, lb = len(cm.a), len(cm.b)
        print(tag, "longest", cm.find_longest_match(0, la, 0, lb), cm.find_longest_match(1, la, 0, lb // 2))
        junk = sorted((x for x in set(cm.b) if cm.isbjunk(x)), key=repr)
        popular = sorted((x for x in set(cm.b) if cm.isbpopular(x)), key=repr)
        print(tag, "junk/popular", junk, popular[:10], len(cm.b2j))

# Junk functions: called back from C for every distinct element of b.
for isjunk in (lambda x: x == " ", lambda x: x in "xy", lambda x: False):
    cm = CSequenceMatcher(isjunk, "a xb yc d", "ab x c yd  ")
    pm = difflib.SequenceMatcher(isjunk, "a xb yc d", "ab x c yd  ")
    show("junk", cm)
    print("junk same:", cm.get_opcodes() == pm.get_opcodes(), sorted(x for x in set(cm.b) if cm.isbjunk(x)))
    print("isbjunk", cm.isbjunk(" "), cm.isbjunk("a"), cm.isbpopular("a"))

# Changing sequences.
cm = CSequenceMatcher(None, "abcdef", "abXdef")
print("r1", round(cm.ratio(), 6))
cm.set_seq2("abcdXf")
print("r2", round(cm.ratio(), 6), cm.get_opcodes())
cm.set_seq1("Xbcdef")
print("r3", round(cm.ratio(), 6), cm.get_opcodes())
cm.set_seqs("hello world", "yellow word")
print("r4", round(cm.ratio(), 6), cm.get_opcodes())
cm.set_seq1(cm.a)
print("r5 same a", cm.a[:5])
print("alias", repr(CSequenceMatcher[int]), CSequenceMatcher[int].__origin__ is CSequenceMatcher)

# Unhashable elements are refused before they reach C.
for a, b in (([[1]], [[1]]), ([1], [{}])):
    try:
        CSequenceMatcher(None, a, b)
    except TypeError as e:
        print("TypeError", e)

# The diff functions of difflib, with the C matcher swapped in.
orig = difflib.SequenceMatcher
difflib.SequenceMatcher = CSequenceMatcher
try:
    print("".join(difflib.unified_diff(lines_a, lines_b, "a.txt", "b.txt", n=2)))
    print("".join(difflib.context_diff(lines_a[:12], lines_b[:12], "a", "b")))
    print("".join(difflib.ndiff(["one\n", "two\n", "three\n"], ["ore\n", "tree\n", "emu\n"])))
    print(difflib.get_close_matches("appel", ["ape", "apple", "peach", "puppy"]))
    print(difflib.get_close_matches("wheel", ["while", "wheat", "heel", "shell", "wheels"], n=2, cutoff=0.5))
    print(list(difflib.Differ().compare(["abcdefg\n", "same\n"], ["abcdxfg\n", "same\n"])))
    diff = list(difflib.ndiff(["a\n", "b\n"], ["a\n", "c\n"]))
    print("".join(difflib.restore(diff, 1)), "".join(difflib.restore(diff, 2)))
finally:
    difflib.SequenceMatcher = orig

# The C functions called directly.
cm = CSequenceMatcher(None, "abxcd", "abcd")
print("direct", _cdifflib.find_longest_match(cm, 0, 5, 0, 4), _cdifflib.matching_blocks(cm))
print("direct chain_b", [sorted(s) for s in _cdifflib.chain_b(cm)], sorted(cm.b2j.items()))


class Fake:
    pass


f = Fake()
f.a, f.b, f.isjunk, f.autojunk, f._nojunk = list("abab"), list("bab"), None, True, True
print("fake chain_b", _cdifflib.chain_b(f), f.b2j)
print("fake", _cdifflib.find_longest_match(f, 0, 4, 0, 3), _cdifflib.matching_blocks(f))
f.b = ["x"] * 250 + ["y"]
print("fake chain_b popular", _cdifflib.chain_b(f), len(f.b2j))
f.isjunk = lambda x: x == "y"
print("fake chain_b junk", _cdifflib.chain_b(f), f.b2j)
f.b = (1, 2, 1)
print("fake chain_b tuple", _cdifflib.chain_b(f), f.b2j)
f._nojunk = False
f.isbjunk = lambda x: x == "b"
f.isjunk = None
f.b = list("bab")
print("fake chain_b again", _cdifflib.chain_b(f), f.b2j)
print("isbjunk used", _cdifflib.find_longest_match(f, 0, 4, 0, 3), _cdifflib.matching_blocks(f))

errors = [
    lambda: _cdifflib.find_longest_match(cm, 0, 1),
    lambda: _cdifflib.find_longest_match(cm, "0", 1, 2, 3),
    lambda: _cdifflib.matching_blocks(),
    lambda: _cdifflib.matching_blocks(cm, cm),
    lambda: _cdifflib.chain_b(),
    lambda: _cdifflib.chain_b(object()),
]
f2 = Fake()
f2.a, f2.b, f2.isbjunk = "abc", list("abc"), None
errors.append(lambda: _cdifflib.matching_blocks(f2))
errors.append(lambda: _cdifflib.find_longest_match(f2, 0, 1, 0, 1))
f3 = Fake()
f3.a, f3.b, f3.isbjunk = "abc", list("abc"), len
errors.append(lambda: _cdifflib.matching_blocks(f3))
errors.append(lambda: _cdifflib.find_longest_match(f3, 0, 1, 0, 1))
f4 = Fake()
f4.b = None
errors.append(lambda: _cdifflib.chain_b(f4))
for i, call in enumerate(errors):
    try:
        print("no error?", i, call())
    except Exception as e:
        print("error", i, type(e).__name__, e)
