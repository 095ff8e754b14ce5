# copy (copy, deepcopy, __copy__/__deepcopy__ behaviour on plain classes) and string constants/Template.
import copy
import string
orig = {"nums": [1, 2, [3, 4]], "name": "x", "t": (1, [2])}
shallow = copy.copy(orig)
deep = copy.deepcopy(orig)
shallow["nums"].append(5)
deep["nums"][2].append(99)
shallow["name"] = "changed"
print(orig)
print(shallow)
print(deep)
print(shallow["nums"] is orig["nums"], deep["nums"] is orig["nums"], deep["t"] is orig["t"], deep["t"][1] is orig["t"][1])
lst = [[0] * 2] * 2
dl = copy.deepcopy(lst)
dl[0][0] = 7
print(lst, dl, dl[0] is dl[1])
cyc = [1]
cyc.append(cyc)
cc = copy.deepcopy(cyc)
print(cc[1] is cc, cc[1] is cyc, len(cc))
t = (1, 2, 3)
print(copy.copy(t) is t, copy.deepcopy(t) is t, copy.copy("s"), copy.deepcopy(5))
class Node:
    def __init__(self, val, children=None):
        self.val = val
        self.children = children or []
    def __repr__(self):
        return "Node(%r, %r)" % (self.val, self.children)
tree = Node(1, [Node(2), Node(3, [Node(4)])])
tc = copy.copy(tree)
td = copy.deepcopy(tree)
tree.children[1].val = 30
tree.val = 10
print(tree)
print(tc)
print(td, tc.children is tree.children, td.children is tree.children)
class Custom:
    def __init__(self, v):
        self.v = v
    def __copy__(self):
        return Custom("copied " + str(self.v))
    def __deepcopy__(self, memo):
        return Custom("deep " + str(self.v))
print(copy.copy(Custom(1)).v, copy.deepcopy(Custom(2)).v, copy.deepcopy([Custom(3)])[0].v)
s1 = {1, 2}
s2 = copy.copy(s1)
s2.add(3)
print(sorted(s1), sorted(s2), [1, 2].copy(), {"a": 1}.copy())
print(string.ascii_letters)
print(string.ascii_lowercase, string.ascii_uppercase)
print(string.digits, string.hexdigits, string.octdigits)
print(string.punctuation)
print(repr(string.whitespace), len(string.printable))
print(string.capwords("hello   world  foo"), string.capwords("a-b c-d", "-"))
tmpl = string.Template("$who likes ${what}s, cost $$5")
print(tmpl.substitute(who="Ann", what="apple"), tmpl.safe_substitute(who="Bo"))
try:
    tmpl.substitute(who="x")
except KeyError as e:
    print("KeyError", e)
def caesar(text, shift):
    lower = string.ascii_lowercase
    upper = string.ascii_uppercase
    table = str.maketrans(lower + upper, lower[shift:] + lower[:shift] + upper[shift:] + upper[:shift])
    return text.translate(table)
print(caesar("Hello, World!", 3), caesar(caesar("Round Trip", 5), 21))
print(sum(c in string.digits for c in "a1b22c333"), [c for c in "Mix3d-Ca5e!" if c in string.ascii_uppercase])
