# operator: arithmetic functions, itemgetter, attrgetter, methodcaller, comparison functions.
import operator
from operator import itemgetter, attrgetter, methodcaller
print(operator.add(2, 3), operator.sub(2, 3), operator.mul(4, 5), operator.truediv(7, 2), operator.floordiv(7, 2), operator.mod(7, 3))
print(operator.pow(2, 5), operator.neg(4), operator.pos(-4), operator.abs(-9), operator.invert(5), operator.not_(0), operator.truth([]))
print(operator.and_(12, 10), operator.or_(12, 10), operator.xor(12, 10), operator.lshift(1, 4), operator.rshift(64, 2))
print(operator.lt(1, 2), operator.le(2, 2), operator.eq(1, 1.0), operator.ne(1, 2), operator.gt(1, 2), operator.ge(3, 3))
print(operator.is_(None, None), operator.is_not(1, None), operator.contains([1, 2], 2), operator.concat("ab", "cd"), operator.index(7))
print(operator.getitem([10, 20, 30], 1), operator.getitem({"k": "v"}, "k"), operator.getitem("hello", slice(1, 3)))
lst = [1, 2, 3]
operator.setitem(lst, 0, 100)
operator.delitem(lst, 1)
print(lst, operator.countOf([1, 2, 1], 1), operator.indexOf("abc", "c"))
x = 5
x = operator.iadd(x, 3)
ilist = [1]
res = operator.iadd(ilist, [2])
print(x, ilist, res is ilist)
rows = [("ann", 31, "NYC"), ("bob", 25, "LA"), ("cy", 31, "SF"), ("di", 19, "LA")]
print(sorted(rows, key=itemgetter(1)), sorted(rows, key=itemgetter(1, 0)))
print(itemgetter(0)(rows), itemgetter(0, 2)(rows[1]), itemgetter(slice(1, None))("abcd"), itemgetter("k")({"k": 1}))
print(list(map(itemgetter(2), rows)), max(rows, key=itemgetter(1))[0], min(rows, key=itemgetter(2, 1)))
class Dept:
    def __init__(self, name):
        self.name = name
class Emp:
    def __init__(self, name, dept, salary):
        self.name, self.salary = name, salary
        self.dept = Dept(dept)
    def __repr__(self):
        return self.name
    def raise_by(self, pct):
        return round(self.salary * (1 + pct / 100))
emps = [Emp("zed", "eng", 100), Emp("amy", "ops", 90), Emp("kim", "eng", 120)]
print(sorted(emps, key=attrgetter("name")), sorted(emps, key=attrgetter("salary"), reverse=True))
print(attrgetter("dept.name")(emps[1]), attrgetter("name", "salary")(emps[2]), sorted(emps, key=attrgetter("dept.name", "name")))
print(list(map(methodcaller("raise_by", 10), emps)), methodcaller("upper")("abc"), methodcaller("split", ",")("a,b"), methodcaller("replace", "a", "o", 1)("banana"))
ops = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
def rpn(expr):
    stack = []
    for tok in expr.split():
        if tok in ops:
            b, a = stack.pop(), stack.pop()
            stack.append(ops[tok](a, b))
        else:
            stack.append(float(tok))
    return stack[0]
print(rpn("3 4 + 2 *"), rpn("5 1 2 + 4 * + 3 -"), rpn("2 3 4 * /"))
print(list(map(operator.mul, [1, 2, 3], [4, 5, 6])), list(map(operator.neg, range(3))), sum(map(operator.mul, [1, 2], [3, 4])))
print(operator.length_hint([1, 2, 3]), operator.length_hint(iter(range(5))), callable(operator.add), operator.add.__name__)
